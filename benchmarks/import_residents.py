"""Import of residents: the real importer against django-import-export and the floor.

A file of N generated residents (valid, checksummed ID numbers from the demo
generator; 12 template columns including 户号) is written as CSV and as xlsx
(openpyxl write-only), then imported on the current engine by
``manage.py import_data FILE --kind residents --json`` in a child process, whose
wall time and peak RSS (wait4's ru_maxrss) are measured. Each run starts from a
freshly migrated database seeded with the small demo (the places the rows live in).

Compared in the same run, on the same database engine:
(i)  django-import-export (requirements-bench.txt) with a ModelResource for
     Resident defined below, on the same file as the importer, in each format:
     by default the N/10 file, which the importer also imports (with another
     BENCH_IEX_ROWS, a subset CSV for both formats), in its default mode and in
     bulk mode (use_bulk, skip_diff, batch 5,000);
(ii) the floor: the same rows, already validated and protected (encrypted,
     blind-indexed, masked) before the clock starts, inserted into the same indexed
     table with COPY (PostgreSQL) or the raw sqlite3 executemany (SQLite).

Goals: ≥ 10× django-import-export rows/s, ≤ 2× the floor's time, peak RSS
< 300 MB whatever the file size (measured at N and N/10 rows).

Sizes: BENCH_ROWS (default 20,000; BENCH_FULL=1: 1,000,000), BENCH_IEX_ROWS
(default BENCH_ROWS/10), BENCH_IMPORT_FORMATS (default "csv,xlsx").
Generated files are cached in benchmarks/.data.
"""

import contextlib
import csv
import hashlib
import inspect
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _common as bench

NAME = "import_residents"
SCRIPT = str(Path(__file__).resolve())
HEADER = [
    "姓名",
    "身份证号",
    "手机号码",
    "住址编码",
    "住址",
    "户号",
    "与户主关系",
    "居住类型",
    "民族",
    "工作单位",
    "重点人群",
    "备注",
]
GENERATOR_SEED = 7  # not the demo's seed 1, so the rows are new people
CHUNK = 5000
RSS_GOAL_MB = 300


# ---- child steps (each runs in its own process with DATABASE_URL set) ---------------


def step_codes(out):
    """Write the dwellings rows can live in and the ID numbers already taken."""
    bench.setup_django()
    from jiceng.people.models import Resident
    from jiceng.places.models import Place

    places = Place.objects.filter(kind="dwelling").order_by("code")
    taken = Resident.objects.order_by("pk").values_list("id_number", flat=True)
    Path(out).write_text(
        json.dumps(
            {
                "codes": list(places.values_list("code", flat=True)),
                "taken": list(taken),
            }
        )
    )


def generate_rows(n, codes, taken=(), seed=GENERATOR_SEED):
    """Yield n resident rows in the template's columns, households of 1–5 people.

    taken: ID numbers already in the database, never generated again (every row is
    a new person, so the floor can insert the same rows).
    """
    from jiceng.demo.common import BASE_DATE, pick
    from jiceng.demo.identity import ETHNICITIES, Identities
    from jiceng.people.models import Relation, ResidenceType

    generator = Identities()
    generator.id_numbers.update(taken)
    rng = random.Random(f"{seed}:bench-import")
    residence = [str(label) for label in ResidenceType.labels]
    others = [
        str(Relation.SPOUSE.label),
        str(Relation.CHILD.label),
        str(Relation.CHILD.label),
        str(Relation.PARENT.label),
        str(Relation.GRANDCHILD.label),
    ]
    made, household = 0, 0
    while made < n:
        household += 1
        code = rng.choice(codes)
        kind = rng.choices(residence, weights=(70, 14, 8, 8))[0]
        origin = "local" if kind in residence[:2] else "other"
        for member in range(min(rng.choice((1, 2, 2, 3, 3, 3, 4, 5)), n - made)):
            sex = rng.choice("MF")
            age = rng.randint(20, 90) if member == 0 else rng.randint(0, 90)
            born = BASE_DATE.replace(year=BASE_DATE.year - age - 1)
            born = born.fromordinal(born.toordinal() + rng.randrange(365))
            phone = generator.phone(rng) if age >= 16 and rng.random() < 0.8 else ""
            yield [
                generator.person_name(rng, sex, born.year),
                generator.id_number(rng, origin, born, sex),
                phone,
                code,
                "",
                f"BJ{seed}{household:08d}",
                str(Relation.HEAD.label) if member == 0 else rng.choice(others),
                kind,
                pick(rng, ETHNICITIES),
                "",
                "",
                "",
            ]
            made += 1


def step_generate(codes_file, rows, small_rows, iex_rows, *paths):
    """Write the CSV and xlsx files at rows and small_rows, and the subset CSV."""
    bench.setup_django()
    from openpyxl import Workbook

    csv_big, xlsx_big, csv_small, xlsx_small, csv_iex = paths
    found = json.loads(Path(codes_file).read_text())
    rows, small_rows, iex_rows = int(rows), int(small_rows), int(iex_rows)
    started = time.perf_counter()
    handles = {
        p: open(p + ".part", "w", newline="", encoding="utf-8") for p in paths[::2]
    }
    writers = {p: csv.writer(h) for p, h in handles.items()}
    books = {}
    for p in (xlsx_big, xlsx_small):
        book = Workbook(write_only=True)
        books[p] = (book, book.create_sheet("居民"))
    for writer in writers.values():
        writer.writerow(HEADER)
    for _book, sheet in books.values():
        sheet.append(HEADER)
    for index, row in enumerate(generate_rows(rows, found["codes"], found["taken"])):
        writers[csv_big].writerow(row)
        books[xlsx_big][1].append(row)
        if index < small_rows:
            writers[csv_small].writerow(row)
            books[xlsx_small][1].append(row)
        if index < iex_rows:
            writers[csv_iex].writerow(row)
        if index and index % 200_000 == 0:
            print(
                f"   generated {index:,} rows ({time.perf_counter() - started:.0f} s)"
            )
    for handle in handles.values():
        handle.close()
    for p, (book, _sheet) in books.items():
        book.save(p + ".part")
    for p in paths:
        os.replace(p + ".part", p)
    print(f"   generated {rows:,} rows in {time.perf_counter() - started:.0f} s")


def process_tree(pid):
    """pid and all its descendants (Linux /proc)."""
    found = [pid]
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                for child_pid in handle.read().split():
                    found += process_tree(int(child_pid))
    return found


def tree_memory_kib(pid):
    """(RSS, PSS) summed over a process tree; PSS counts shared pages once."""
    rss = pss = 0
    for member in process_tree(pid):
        with contextlib.suppress(OSError), open(f"/proc/{member}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss, pss


def step_import(path, out):
    """Run manage.py import_data in this process, timing the command alone."""
    import io
    import threading

    bench.setup_django()
    from django.core.management import call_command

    # The import and its worker process sampled together every 0.2 s.
    peak = {"rss": 0, "pss": 0}
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            rss, pss = tree_memory_kib(os.getpid())
            peak["rss"], peak["pss"] = max(peak["rss"], rss), max(peak["pss"], pss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    buffer = io.StringIO()
    started = time.perf_counter()
    call_command("import_data", path, "--kind", "residents", "--json", stdout=buffer)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    summary = json.loads(buffer.getvalue().strip().splitlines()[-1])
    summary["errors"] = summary["errors"][:3]
    # Large files are prepared by a worker process (jiceng/transfer/pipeline.py),
    # the only child this step waits for: its peak counts too.
    summary["rss_self_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary["rss_worker_mb"] = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    summary["sampled_rss_mb"] = peak["rss"] / 1024
    summary["sampled_pss_mb"] = peak["pss"] / 1024
    Path(out).write_text(json.dumps({"seconds": seconds, **summary}))


def step_jobinfo(out):
    """Write the last import job's counts and timings."""
    bench.setup_django()
    from jiceng.people.models import Occupancy, Resident
    from jiceng.transfer.models import ImportJob

    job = ImportJob.objects.order_by("-created_at").first()
    Path(out).write_text(
        json.dumps(
            {
                **job.summary(),
                "status": job.status,
                "message": job.message,
                "run_seconds": (job.finished_at - job.started_at).total_seconds(),
                "residents": Resident.objects.count(),
                "occupancies": Occupancy.objects.count(),
            }
        )
    )


def validated_chunks(path):
    """Yield lists of insert-ready tuples, built exactly as the importer builds them."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from jiceng.core.crypto import encrypt
    from jiceng.core.tabular import read_rows
    from jiceng.core.validators import mask_id_number, mask_mobile
    from jiceng.people.importers import RESIDENT_COLUMNS, ResidentImporter
    from jiceng.people.models import ResidenceType

    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    importer = ResidentImporter(actor, dry_run=False)
    rows = read_rows(
        path, Path(path).name, required=importer.required, aliases=importer.aliases
    )
    chunk = []
    now = timezone.now()
    today = timezone.localdate()
    for row in rows:
        item = importer.parse(row)
        f = item.fields
        phone = f.get("phone", "")
        values = {
            "name": f["name"],
            "sex": f["sex"],
            "birth_date": f["birth_date"],
            "ethnicity": f["ethnicity"] or "汉族",
            "id_number": encrypt(f["id_number"]),
            "id_number_index": item.id_digest,
            "id_number_mask": mask_id_number(f["id_number"]),
            "phone": encrypt(phone) if phone else None,
            "phone_index": item.phone_digest,
            "phone_mask": mask_mobile(phone) if phone else "",
            "place_id": f["place_id"],
            "household_id": None,
            "relation": f["relation"],
            "residence_type": f["residence_type"] or ResidenceType.REGISTERED,
            "work_unit_id": f["work_unit_id"],
            "employer_name": f["employer_name"],
            "note": f["note"],
            "moved_in_on": today,
            "created_at": now,
            "updated_at": now,
        }
        # in the importer's column order (older importers have fewer columns)
        chunk.append(tuple(values[c] for c in RESIDENT_COLUMNS))
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def step_floor(path, out):
    """Insert pre-validated rows with the raw driver; only the inserts are timed."""
    bench.setup_django()
    from django.db import connection

    from jiceng.people.importers import RESIDENT_COLUMNS
    from jiceng.people.models import Resident

    try:  # the same connection settings as the importer's jobs
        from jiceng.transfer.services import bulk_write_cache
    except ImportError:  # an importer without it
        bulk_write_cache = contextlib.nullcontext

    table = Resident._meta.db_table
    names = ", ".join(RESIDENT_COLUMNS)
    connection.ensure_connection()
    raw = connection.connection
    settings = bulk_write_cache()
    settings.__enter__()
    if connection.vendor == "postgresql":
        # as the importer's chunks do (core.planner.asynchronous_commit); the
        # driver is in autocommit mode here, so for the session
        with raw.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
    inserted, timed, prepared = 0, 0.0, 0.0
    started = time.perf_counter()
    chunks = validated_chunks(path)
    while True:
        t0 = time.perf_counter()
        chunk = next(chunks, None)
        prepared += time.perf_counter() - t0
        if chunk is None:
            break
        t0 = time.perf_counter()
        if connection.vendor == "postgresql":
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
            raw.commit()
        else:
            marks = ", ".join("?" * len(RESIDENT_COLUMNS))
            cursor = raw.cursor()
            cursor.execute("BEGIN")
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                chunk,
            )
            cursor.execute("COMMIT")
        timed += time.perf_counter() - t0
        inserted += len(chunk)
    settings.__exit__(None, None, None)
    Path(out).write_text(
        json.dumps(
            {
                "rows": inserted,
                "insert_seconds": timed,
                "prepare_seconds": prepared,
                "total_seconds": time.perf_counter() - started,
            }
        )
    )


def resident_resource(bulk):
    """A ModelResource for Resident as a Django developer would write it."""
    from import_export import fields, resources, widgets

    from jiceng.core.crypto import blind_index
    from jiceng.core.validators import validate_id_number
    from jiceng.people.importers import RELATION_BY_LABEL, RESIDENCE_BY_LABEL
    from jiceng.people.models import Resident
    from jiceng.places.models import Place

    class ResidentResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        phone = fields.Field(attribute="phone", column_name="手机号码")
        place = fields.Field(
            attribute="place",
            column_name="住址编码",
            widget=widgets.ForeignKeyWidget(Place, field="code"),
        )
        relation = fields.Field(attribute="relation", column_name="与户主关系")
        residence_type = fields.Field(
            attribute="residence_type", column_name="居住类型"
        )
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        sex = fields.Field(attribute="sex", column_name="sex")
        birth_date = fields.Field(
            attribute="birth_date",
            column_name="birth_date",
            widget=widgets.DateWidget(),
        )
        id_number_index = fields.Field(
            attribute="id_number_index", column_name="id_number_index"
        )

        class Meta:
            model = Resident
            fields = (
                "name",
                "id_number",
                "phone",
                "place",
                "relation",
                "residence_type",
                "ethnicity",
                "sex",
                "birth_date",
                "id_number_index",
            )
            # The ID number is the natural key, looked up by its blind index.
            import_id_fields = ("id_number_index",)
            use_bulk = bulk
            skip_diff = bulk
            batch_size = 5000

        def before_import_row(self, row, **kwargs):
            facts = validate_id_number(row["身份证号"])
            row["id_number_index"] = blind_index(facts.number, purpose="id_number")
            row["sex"], row["birth_date"] = facts.sex, facts.birth_date.isoformat()
            row["与户主关系"] = RELATION_BY_LABEL.get(row["与户主关系"], "")
            row["居住类型"] = RESIDENCE_BY_LABEL.get(row["居住类型"], "registered")

    return ResidentResource()


def step_iex(path, mode, out):
    """Import the subset file (CSV or xlsx) with django-import-export, as its admin
    does: tablib loads the whole dataset into memory first."""
    bench.setup_django()
    import tablib

    resource = resident_resource(bulk=mode == "bulk")
    started = time.perf_counter()
    if path.endswith(".xlsx"):
        with open(path, "rb") as handle:
            dataset = tablib.Dataset().load(handle.read(), format="xlsx")
    else:
        with open(path, encoding="utf-8") as handle:
            dataset = tablib.Dataset().load(handle.read(), format="csv")
    for column in ("id_number_index", "sex", "birth_date"):  # set by before_import_row
        dataset.append_col([""] * len(dataset), header=column)
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - started
    Path(out).write_text(
        json.dumps(
            {
                "rows": len(dataset),
                "seconds": seconds,
                "totals": dict(result.totals),
                "errors": len(result.base_errors) + len(result.row_errors()),
                "first_error": str(
                    (result.row_errors()[0][1][0].error if result.row_errors() else "")
                    or (result.base_errors[0].error if result.base_errors else "")
                )[:300],
            }
        )
    )


STEPS = {
    "codes": step_codes,
    "generate": step_generate,
    "import": step_import,
    "jobinfo": step_jobinfo,
    "floor": step_floor,
    "iex": step_iex,
}


# ---- orchestration (parent process, no Django) --------------------------------------


def child(url, step, *args):
    """Run a step in a child process; return (result JSON, wall s, peak RSS MB)."""
    bench.TMP_DIR.mkdir(parents=True, exist_ok=True)
    out = bench.TMP_DIR / f"{NAME}-{step}.json"
    out.unlink(missing_ok=True)
    argv = [bench.PYTHON, SCRIPT, "step", step, *map(str, args)]
    if step not in ("codes", "generate"):
        argv.append(str(out))
    env = bench.base_env(url)
    if step == "import":  # measured as deployed: without the baselines' numpy
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent / "runtime_only")
    code, wall, rss, stdout = bench.run_measured(argv, env=env)
    if stdout.strip():
        print(stdout.rstrip())
    if code != 0:
        raise SystemExit(f"step {step} failed (exit {code})")
    result = json.loads(out.read_text()) if out.exists() else {}
    return result, wall, rss


def files_for(rows, small_rows, iex_rows, url):
    """The generated files (cached by size and by the demo's dwelling codes)."""
    bench.DATA_DIR.mkdir(parents=True, exist_ok=True)
    codes_file = bench.TMP_DIR / f"{NAME}-codes.json"
    codes_file.unlink(missing_ok=True)
    argv = [bench.PYTHON, SCRIPT, "step", "codes", str(codes_file)]
    if bench.run_measured(argv, env=bench.base_env(url))[0] != 0:
        raise SystemExit("reading the demo's dwellings failed")
    # Regenerate only when the demo generator or generate_rows itself changed.
    fingerprint = hashlib.sha256(
        (
            bench.source_fingerprint("jiceng/demo")
            + inspect.getsource(generate_rows)
            + json.dumps(HEADER)
        ).encode()
    ).hexdigest()[:12]
    key = f"residents-{rows}-{small_rows}-{iex_rows}-{fingerprint}"
    paths = [
        bench.DATA_DIR / f"{key}-big.csv",
        bench.DATA_DIR / f"{key}-big.xlsx",
        bench.DATA_DIR / f"{key}-small.csv",
        bench.DATA_DIR / f"{key}-small.xlsx",
        bench.DATA_DIR / f"{key}-iex.csv",
    ]
    if all(p.exists() for p in paths):
        print(f"   reusing generated files {key}-*")
    else:
        for old in bench.DATA_DIR.glob("residents-*"):
            old.unlink()
        with bench.section(f"generating {rows:,} rows as CSV and xlsx"):
            argv = [
                bench.PYTHON,
                SCRIPT,
                "step",
                "generate",
                str(codes_file),
                str(rows),
                str(small_rows),
                str(iex_rows),
                *map(str, paths),
            ]
            code, _wall, _rss, stdout = bench.run_measured(
                argv, env=bench.base_env(url)
            )
            print(stdout.rstrip())
            if code:
                raise SystemExit("generating the files failed")
    return dict(
        zip(("csv", "xlsx", "csv_small", "xlsx_small", "csv_iex"), paths, strict=True)
    )


def fresh(url):
    seconds = bench.fresh_database(url, seed_size="small")
    print(f"   fresh database: migrated and seeded the small demo in {seconds:.1f} s")


def run_importer(url, path, rows):
    """import_data in a child process: the command's own time, the child's peak RSS."""
    fresh(url)
    summary, wall, _rss = child(url, "import", path)
    info, _, _ = child(url, "jobinfo")
    seconds = summary["seconds"]
    # Both processes' peaks added up: an upper bound of what the import held at once.
    rss = summary["rss_self_mb"] + summary["rss_worker_mb"]
    result = {
        "file": path.name,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "rows": rows,
        "seconds": round(seconds, 2),
        "process_wall_seconds": round(wall, 2),
        "rows_per_s": round(rows / seconds),
        "job_run_seconds": round(info["run_seconds"], 2),
        "job_rows_per_s": round(rows / info["run_seconds"])
        if info["run_seconds"]
        else None,
        "peak_rss_mb": round(rss, 1),
        "peak_rss_importer_mb": round(summary["rss_self_mb"], 1),
        "peak_rss_worker_mb": round(summary["rss_worker_mb"], 1),
        "sampled_peak_rss_total_mb": round(summary["sampled_rss_mb"], 1),
        "sampled_peak_pss_total_mb": round(summary["sampled_pss_mb"], 1),
        "created": summary["created"],
        "updated": summary["updated"],
        "unchanged": summary["unchanged"],
        "rejected": summary["rejected"],
        "first_errors": summary["errors"][:3],
        "occupancies": info["occupancies"],
    }
    print(
        f"   {path.name}: {rows:,} rows in {seconds:.1f} s = {result['rows_per_s']:,} rows/s "
        f"(job {result['job_run_seconds']} s), peak RSS {rss:.0f} MB "
        f"({summary['rss_self_mb']:.0f} + worker {summary['rss_worker_mb']:.0f}; "
        f"sampled total RSS {summary['sampled_rss_mb']:.0f}, "
        f"PSS {summary['sampled_pss_mb']:.0f}), "
        f"created {summary['created']:,}, rejected {summary['rejected']:,}"
    )
    return result


def main():
    engine = bench.engine()
    rows = bench.env_int("BENCH_ROWS", 1_000_000 if bench.full_run() else 20_000)
    small_rows = max(1, rows // 10)
    # django-import-export gets the N/10 file by default: the same file the importer
    # imports for the memory comparison, so both rates come from the same rows.
    iex_rows = min(rows, bench.env_int("BENCH_IEX_ROWS", small_rows))
    formats = [
        f.strip() for f in os.environ.get("BENCH_IMPORT_FORMATS", "csv,xlsx").split(",")
    ]
    url = bench.database_url()
    print(f"engine {engine}; database {url}; {rows:,} rows (and {small_rows:,})")
    fresh(url)
    files = files_for(rows, small_rows, iex_rows, url)

    runs = {}
    for fmt in formats:
        for label, size in ((fmt, rows), (f"{fmt}_small", small_rows)):
            with bench.section(f"jiceng importer, {label} ({size:,} rows)"):
                runs[label] = run_importer(url, files[label], size)

    with bench.section(f"floor: pre-validated rows, raw inserts ({rows:,} rows)"):
        fresh(url)
        floor, wall, rss = child(url, "floor", files["csv"])
        floor.update(
            rows_per_s=round(floor["rows"] / floor["insert_seconds"]),
            peak_rss_mb=round(rss, 1),
            wall_seconds=round(wall, 2),
        )
        print(
            f"   {floor['rows']:,} rows inserted in {floor['insert_seconds']:.1f} s "
            f"= {floor['rows_per_s']:,} rows/s (validating and protecting them, "
            f"untimed: {floor['prepare_seconds']:.1f} s)"
        )

    # django-import-export imports the same file as the importer: each format's
    # N/10 file (by default), or the subset CSV when BENCH_IEX_ROWS differs.
    iex = {}
    for fmt in formats:
        subset = files[f"{fmt}_small"] if iex_rows == small_rows else files["csv_iex"]
        for mode in ("default", "bulk"):
            with bench.section(
                f"django-import-export {mode} mode, {subset.suffix[1:]} "
                f"({iex_rows:,}-row subset)"
            ):
                fresh(url)
                found, wall, rss = child(url, "iex", subset, mode)
                found.update(
                    file=subset.name,
                    rows_per_s=round(found["rows"] / found["seconds"]),
                    peak_rss_mb=round(rss, 1),
                )
                iex.setdefault(fmt, {})[mode] = found
                print(
                    f"   {found['rows']:,} rows in {found['seconds']:.1f} s = "
                    f"{found['rows_per_s']:,} rows/s, totals {found['totals']}, "
                    f"errors {found['errors']} {found['first_error']}"
                )

    # Figures and goals.
    figures = {}
    floor_seconds_per_row = floor["insert_seconds"] / floor["rows"]
    for label in formats:
        run = runs[label]
        vs_floor = (run["seconds"] / run["rows"]) / floor_seconds_per_row
        # Against django-import-export: the importer's run on the same file when
        # django-import-export had the N/10 file, else the big run.
        same = runs[f"{label}_small"] if iex_rows == small_rows else run
        figures[label] = {
            "rows_per_s": run["rows_per_s"],
            "job_rows_per_s": run["job_rows_per_s"],
            "iex_compared_rows": same["rows"],
            "iex_file": iex[label]["default"]["file"],
            "x_iex_default": bench.ratio(
                same["rows_per_s"], iex[label]["default"]["rows_per_s"]
            ),
            "x_iex_bulk": bench.ratio(
                same["rows_per_s"], iex[label]["bulk"]["rows_per_s"]
            ),
            "time_over_floor": round(vs_floor, 2),
            "peak_rss_mb": run["peak_rss_mb"],
            "peak_rss_mb_small": runs[f"{label}_small"]["peak_rss_mb"],
        }
        f = figures[label]
        f["status"] = {
            ">=10x django-import-export (default)": bench.goal(
                f["x_iex_default"], 10, at_most=False
            ),
            ">=10x django-import-export (bulk)": bench.goal(
                f["x_iex_bulk"], 10, at_most=False
            ),
            "<=2x floor time": bench.goal(f["time_over_floor"], 2),
            "peak RSS < 300 MB": bench.goal(
                max(f["peak_rss_mb"], f["peak_rss_mb_small"]), RSS_GOAL_MB - 0.001
            ),
        }

    print(f"\n== summary ({engine}) ==")
    bench.table(
        [
            (
                label,
                f"{runs[label]['rows']:,}",
                f"{r['rows_per_s']:,}",
                f"{r['x_iex_default']}x / {r['x_iex_bulk']}x",
                f"{r['time_over_floor']}x",
                f"{r['peak_rss_mb_small']:.0f} -> {r['peak_rss_mb']:.0f}",
            )
            for label, r in figures.items()
        ],
        [
            "file",
            "rows",
            "rows/s",
            f"vs iex default/bulk, {iex_rows:,} rows (>=10x)",
            "time vs floor (<=2x)",
            f"peak RSS MB {small_rows:,} -> {rows:,} (<300)",
        ],
    )
    print(f"floor {floor['rows_per_s']:,} rows/s")
    for modes in iex.values():
        print(
            f"django-import-export on {modes['default']['file']}: "
            f"{modes['default']['rows_per_s']:,} rows/s default, "
            f"{modes['bulk']['rows_per_s']:,} rows/s bulk"
        )
    for label, r in figures.items():
        print(f"{label}: " + ", ".join(f"{k}: {v}" for k, v in r["status"].items()))
    bench.write_results(
        NAME,
        {
            "engine": engine,
            "rows": rows,
            "small_rows": small_rows,
            "iex_rows": iex_rows,
            "figures": figures,
            "importer": runs,
            "floor": floor,
            "django_import_export": iex,
        },
        section=engine,
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "step":
        STEPS[sys.argv[2]](*sys.argv[3:])
    else:
        main()
