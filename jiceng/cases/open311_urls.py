from django.urls import path, re_path

from . import open311

app_name = "open311"

FMT = r"\.(?P<fmt>\w+)$"

urlpatterns = [
    path("", open311.root, name="root"),
    re_path(r"^discovery" + FMT, open311.discovery, name="discovery"),
    re_path(r"^services" + FMT, open311.service_list, name="services"),
    re_path(
        r"^services/(?P<code>[\w-]+)" + FMT, open311.service_definition, name="service"
    ),
    re_path(r"^requests" + FMT, open311.requests_collection, name="requests"),
    re_path(
        r"^requests/(?P<number>[\w-]+)" + FMT, open311.request_detail, name="request"
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, open311.token_detail, name="token"),
]
