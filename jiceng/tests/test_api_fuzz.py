"""Fuzz the REST API from its own OpenAPI schema: no input reaches a 500.

schemathesis generates requests for every operation in /api/v1/openapi.json —
schema examples, boundary values (limits ± 1, empty and control-character strings,
nulls, missing fields, other methods) and random valid and invalid data — and sends
them through Django's WSGI handler as several demo roles and an anonymous caller.
Every answer must be below 500 and match the schema the API publishes.

Writes land in the test database inside each test's transaction and are rolled back.
The budget (examples per role) keeps the whole file within a few minutes per engine;
the district admin, who reaches every operation, gets the most.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from jiceng.api import api

SEED = 20260501
OPENAPI = api.get_openapi_schema(path_prefix="/api/v1/")


def _schema(*, examples, boundaries):
    """The API's schema, generating `examples` random cases per operation, after
    the boundary-value (coverage) cases when `boundaries`."""
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": examples},
            "phases": {"coverage": {"enabled": boundaries}},
        }
    )
    return schemathesis.openapi.from_dict(OPENAPI, config=config)


# The district admin reaches every operation and row: the most random examples.
thorough = _schema(examples=25, boundaries=True)
bounded = _schema(examples=10, boundaries=True)
quick = _schema(examples=8, boundaries=False)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, keeping the test's transaction open between requests.

    A real request starts and ends with close_old_connections, which would close the
    connection inside the test's atomic block; Django's test client unhooks it too.
    """
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield WSGIHandler()
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def headers(request, db):
    """The Authorization header of a fresh bearer token for the role, or none."""
    from django.contrib.auth import get_user_model

    from jiceng.core.services import create_api_token

    if request.param is None:
        return {}
    user = get_user_model().objects.get(username=request.param)
    _, raw = create_api_token(actor=user, user=user, name="fuzz", days=1)
    return {"Authorization": f"Bearer {raw}"}


def as_roles(*roles):
    return pytest.mark.parametrize(
        "headers", roles, ids=lambda r: r or "anonymous", indirect=True
    )


def send_and_check(case, headers, app):
    # when the generated request is sent
    response = case.call(app=app, headers=headers)
    # then the answer is no server error, and it matches the published schema
    case.validate_response(
        response, checks=[not_a_server_error, response_schema_conformance]
    )


FUZZ_SETTINGS = settings(
    deadline=None, suppress_health_check=list(HealthCheck), database=None
)


@thorough.parametrize()
@as_roles("quadmin")
@FUZZ_SETTINGS
def test_api_survives_boundary_and_random_input(case, headers, wsgi_app):
    # given the district admin, who reaches every operation
    send_and_check(case, headers, wsgi_app)


@bounded.parametrize()
@as_roles("wangge")
@FUZZ_SETTINGS
def test_api_survives_boundary_input_from_a_grid_worker(case, headers, wsgi_app):
    # given a grid worker, whose writes are checked against one grid
    send_and_check(case, headers, wsgi_app)


@quick.parametrize()
@as_roles("dangyuan", None)
@FUZZ_SETTINGS
def test_api_survives_random_input_from_members_and_strangers(case, headers, wsgi_app):
    # given a party member (mostly refused) and an anonymous caller (always 401)
    send_and_check(case, headers, wsgi_app)


# --- the inputs that once reached a 500, each kept as a plain regression case -----

HUGE = 2**64
LISTS = [
    path
    for path, ops in OPENAPI["paths"].items()
    if "{" not in path
    and any(p["name"] == "offset" for p in ops.get("get", {}).get("parameters", []))
]


@pytest.mark.parametrize("path", LISTS)
def test_an_offset_past_64_bits_is_refused_on_every_list(api_for, path):
    # given a district admin / when a list is asked for an offset past 64 bits
    response = api_for("quadmin").get(path, {"offset": 2**63})
    # then the schema refuses it
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/members/", {"unit": HUGE}),
        ("get", "/api/v1/members/", {"org": HUGE}),
        ("get", "/api/v1/residents/", {"place": -1}),
        ("post", "/api/v1/places/", {"parent_id": 1, "kind": "", "name": "x"}),
        ("post", "/api/v1/places/", {"parent_id": 1, "kind": "\x07", "name": "x"}),
        ("post", "/api/v1/places/", {"parent_id": HUGE, "kind": "grid", "name": "x"}),
        ("patch", "/api/v1/places/1", {"note": None}),
        ("patch", "/api/v1/places/1", {"address": None}),
        ("patch", "/api/v1/places/1", {"name": "x" * 101}),
        ("patch", "/api/v1/places/1", {"lat": 1000}),
        ("post", "/api/v1/members/", {"resident_id": 1, "status": "x" * 17}),
        ("post", "/api/v1/residents/", {"name": "名" * 51, "id_number": "1"}),
        (
            "post",
            "/api/v1/cases/",
            {
                "category_code": "x",
                "description": "路灯不亮了很多天",
                "lat": 1e308,
                "lng": 1,
            },
        ),
        ("post", "/api/v1/cases/1/steps/extend", {"version": 1, "days": 10**9}),
        ("post", "/api/v1/volunteer/checkin", {"token": "x", "lat": 1e308, "lng": 0}),
        (
            "post",
            "/api/v1/volunteer/wishes/",
            {"place_id": 1, "title": "愿" * 101, "alias": "李奶奶"},
        ),
        (
            "post",
            "/api/v1/volunteer/wishes/",
            {"place_id": 1, "title": "愿", "alias": "李" * 31},
        ),
        (
            "post",
            "/api/v1/volunteer/wishes/",
            {"place_id": 1, "title": "愿", "alias": "李", "category": "x" * 17},
        ),
        (
            "post",
            "/api/v1/volunteer/wishes/",
            {"place_id": 1, "title": "愿", "alias": "李", "claim_days": 10**9},
        ),
    ],
)
def test_out_of_range_values_are_refused_by_the_schema(api_for, method, path, body):
    # given a district admin
    client = api_for("quadmin")
    # when a value outside what the model can hold is sent
    if method == "get":
        response = client.get(path, body)
    else:
        response = getattr(client, method)(path, body, content_type="application/json")
    # then it is a 422 from the schema, in the API's error format
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_request"


@pytest.mark.parametrize(
    ("method", "path", "query", "body"),
    [
        ("get", "/api/v1/volunteer/wishes/", {"status": "a\x00b"}, None),
        ("get", "/api/v1/residents/", {"q": "\x00"}, None),
        ("post", "/api/v1/places/", {}, '{"parent_id": 1, "kind": "grid", '),
        ("post", "/api/v1/places/", {}, '{"parent_id": 1, "kind": "grid\\u0000"}'),
    ],
)
def test_unreadable_or_nul_input_is_a_chinese_400(api_for, method, path, query, body):
    # given a district admin
    client = api_for("quadmin")
    # when the query or body holds a NUL character, or the body is broken JSON
    if body is None:
        response = client.get(path, query)
    else:
        response = client.post(path, body, content_type="application/json")
    # then the answer is a 400 with a Chinese message, not a database error
    assert response.status_code == 400, response.content
    assert "NUL" in response.json()["message"]


def test_an_oversized_body_or_a_session_call_without_csrf_gets_a_chinese_answer(
    api_for, client_for
):
    # when a body past the upload limit is sent to the API and to Open311
    big = api_for("quadmin").post(
        "/api/v1/places/", {"note": "x" * (3 << 20)}, content_type="application/json"
    )
    report = api_for("quadmin").post(
        "/open311/v2/requests.json", {"description": "x" * (3 << 20)}
    )
    # then each answers in its own format, in Chinese
    assert big.status_code == 400 and "请求体过大" in big.json()["message"]
    assert report.status_code == 400
    assert report.json() == [
        {"code": 400, "description": "请求无效：请求体过大或字段过多"}
    ]
    # when a logged-in page session writes through the API without its CSRF token
    session = client_for("quadmin")
    session.handler.enforce_csrf_checks = True
    refused = session.post("/api/v1/places/", {}, content_type="application/json")
    # then the refusal says what is missing, in Chinese
    assert refused.status_code == 403
    assert "CSRF校验失败" in refused.json()["message"]


# --- Open311 GeoReport v2: no OpenAPI schema, so hypothesis draws the requests -----

FORMATS = st.sampled_from(["json", "xml", "json", "xml", "html", "JSON"])
WILD = st.text(max_size=30) | st.sampled_from(["", "\x00", "ＡＢＣ", "x" * 300])
NUMBERS = (
    st.floats(allow_nan=True, allow_infinity=True).map(repr)
    | st.integers(min_value=-(2**70), max_value=2**70).map(str)
    | st.sampled_from(["nan", "inf", "-inf", "1e400", "91", "-181", "30.66", "abc"])
)
DATES = st.sampled_from(
    [
        "2026-01-01T00:00:00+08:00",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
        "2026-13-45T25:61:00",
        "2026-02-30T00:00:00Z",
        "yesterday",
    ]
) | st.datetimes().map(lambda d: d.isoformat())


def geo_report_error(response, fmt):
    """The spec's error array: [{code, description}] whose code is the status."""
    if fmt == "xml":
        from xml.etree import ElementTree as ET

        root = ET.fromstring(response.content)
        errors = [
            {"code": int(e.findtext("code")), "description": e.findtext("description")}
            for e in root.iter("error")
        ]
        assert root.tag == "errors"
    else:
        errors = response.json()
    assert errors, response.content
    for entry in errors:
        assert entry["code"] == response.status_code
        assert entry["description"]
    return errors


def check_open311(response, fmt):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        geo_report_error(response, fmt if fmt in ("json", "xml") else "json")
    elif fmt == "json":
        response.json()  # well-formed
    else:
        from xml.etree import ElementTree as ET

        ET.fromstring(response.content)


@pytest.fixture
def open311_key(db):
    from jiceng.cases.open311 import create_key

    return create_key("fuzz")


OPEN311_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=True,
)
PATHS = ["discovery", "services", "services/{code}", "requests", "requests/{code}"]


@given(
    fmt=FORMATS,
    method=st.sampled_from(["get", "post", "put", "delete", "patch", "options"]),
    path=st.sampled_from([*PATHS, "tokens/{code}"]),
    code=st.from_regex(r"[\w-]{1,40}", fullmatch=True),
)
@OPEN311_SETTINGS
def test_open311_answers_any_endpoint_method_and_format(
    client, db, fmt, method, path, code
):
    # given any endpoint, method and format / when it is called
    response = getattr(client, method)(f"/open311/v2/{path.format(code=code)}.{fmt}")
    # then no 5xx, and every refusal is GeoReport v2's error array
    check_open311(response, fmt)


@given(
    fmt=st.sampled_from(["json", "xml"]),
    query=st.fixed_dictionaries(
        {},
        optional={
            "service_request_id": WILD,
            "service_code": WILD,
            "start_date": DATES | WILD,
            "end_date": DATES | WILD,
            "status": st.sampled_from(["open", "closed", "open,closed", ""]) | WILD,
        },
    ),
)
@example(fmt="json", query={"start_date": "2026-13-45T25:61:00"})
@example(fmt="xml", query={"end_date": "0001-01-01T00:00:00"})
@example(fmt="json", query={"service_request_id": "a\x00"})
@example(fmt="xml", query={"service_code": "\x00", "status": "\x01"})
@OPEN311_SETTINGS
def test_open311_request_queries_answer_any_value(client, db, fmt, query):
    # given a search with any dates, codes and statuses / when it is sent
    response = client.get(f"/open311/v2/requests.{fmt}", query)
    # then no 5xx, and every refusal is GeoReport v2's error array
    check_open311(response, fmt)


REPORT_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "service_code": WILD,
        "lat": NUMBERS,
        "long": NUMBERS,
        "address_string": WILD,
        "address_id": WILD,
        "description": WILD | st.just("路灯不亮已经三天了"),
        "first_name": WILD,
        "last_name": WILD,
        "phone": WILD | st.just("13800138000"),
        "media_url": WILD,
        "attribute[anonymous]": st.sampled_from(["true", "false"]) | WILD,
        "attribute[location_detail]": WILD,
        "account_id": WILD,
    },
)


@given(
    fmt=st.sampled_from(["json", "xml"]),
    key=st.sampled_from(["valid", "", "o311_wrong"]),
    code=st.sampled_from(["real", "none"]),
    fields=REPORT_FIELDS,
)
@example(fmt="json", key="valid", code="real", fields={"lat": "nan", "long": "1"})
@example(fmt="xml", key="valid", code="real", fields={"lat": "1e400", "long": "1"})
@example(fmt="json", key="valid", code="real", fields={"address_id": "\x00"})
@example(
    fmt="xml",
    key="valid",
    code="real",
    fields={"address_string": "\x01幸福路", "description": "路灯不亮已经三天了"},
)
@OPEN311_SETTINGS
def test_open311_reports_answer_any_fields(client, open311_key, fmt, key, code, fields):
    from jiceng.cases.services import categories_for_reporting

    # given a report with any fields, a valid or a wrong key, a real code or none
    fields = dict(fields)
    if key:
        fields["api_key"] = open311_key if key == "valid" else key
    if code == "real":
        fields["service_code"] = categories_for_reporting().first().code
    # when it is posted
    response = client.post(f"/open311/v2/requests.{fmt}", fields)
    # then no 5xx, and every refusal is GeoReport v2's error array
    check_open311(response, fmt)
