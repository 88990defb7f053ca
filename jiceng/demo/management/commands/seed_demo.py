"""Generate the demo district (中和区) deterministically from a seed; with
``--districts N`` (or ``--size city``) a city of N districts in one database.

Resumable: each district's places, units, people and party are written in one
transaction, and then each app's demo rows in one each; a district that exists is
not generated again and an app's rows that exist are not added again, so a run that
stopped (killed, out of disk) is continued by running the same command again."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from jiceng.core.planner import refresh_statistics
from jiceng.demo.accounts import USERNAMES
from jiceng.demo.city import MAX_DISTRICTS, district_spec
from jiceng.demo.common import SIZES, find_district
from jiceng.demo.generator import (
    DemoGenerator,
    delete_city_district,
    delete_demo_data,
    seed_apps,
    summarize,
)
from jiceng.insight.services import refresh_figures
from jiceng.places.models import PlaceKind


class Command(BaseCommand):
    help = "生成演示区（中和区）：地点、居民、党组织、党员、单位和演示账号；同一种子结果相同。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="small",
            help="规模：small（约5千居民）、district（约20万居民）"
            "或 city（10 个 district 规模的区，约200万居民）",
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=None,
            help=f"在同一数据库中生成几个区（1–{MAX_DISTRICTS}，默认按规模："
            "city 为 10，其余为 1）；第一个区即演示区，其余区账号带前缀 d2. d3. …",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除已生成的演示数据（审计日志保留）",
        )

    def handle(self, *args, size, seed, reset, districts=None, verbosity=1, **opts):
        started = time.monotonic()
        say = self.stdout.write if verbosity > 0 else (lambda message: None)
        self.say = say
        count = districts or SIZES[size].districts
        if not 1 <= count <= MAX_DISTRICTS:
            raise CommandError(f"区的个数应在 1 到 {MAX_DISTRICTS} 之间")
        if reset:
            say("正在删除已有演示数据……")
            try:
                for number in range(MAX_DISTRICTS, 1, -1):
                    delete_city_district(district_spec(seed, number), log=say)
                delete_demo_data(USERNAMES, log=say)
                say(f"删除用时 {time.monotonic() - started:.1f} 秒")
            except (ProtectedError, RestrictedError) as exc:
                raise CommandError(
                    "其他模块的数据仍引用演示数据，无法自动删除；请先清空这些数据"
                    f"（或 manage.py flush）后重试：{exc}"
                ) from exc
        generated = [
            self.seed_district(district_spec(seed, number), size, seed, count)
            for number in range(1, count + 1)
        ]
        # the dashboards' rollup: a year back for new districts; the month only when
        # the districts were there and only their app rows were topped up (a year
        # of a city's figures takes minutes)
        refresh_figures(months=12 if any(generated) else 1)
        self.print_summary(summarize())
        say(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒"))

    def seed_district(self, spec, size, seed, count):
        """Generate district spec unless it exists, then bring its app rows up to
        date; each part commits on its own (the resume points). Returns whether
        the district was generated."""
        say = self.say
        t0 = time.monotonic()
        label = f"（第 {spec.number}/{count} 个区）" if count > 1 else ""
        district = find_district(spec.code)
        if district is not None:
            say(
                self.style.WARNING(
                    f"演示区「{district.name}」（{spec.code}）已存在，不再重复生成；"
                    f"仅补齐账号和各模块演示数据{label}。如需重新生成请加 --reset。"
                )
            )
        else:
            say(
                f"开始生成演示区「{spec.name}」（{spec.code}）：规模 {size}，种子 {seed}{label}"
            )
            DemoGenerator(size=size, seed=seed, log=say, spec=spec).run()
            # The apps' seeders query the tables just filled: without statistics
            # the planner takes them for empty (a district's resident accounts
            # then took minutes instead of seconds on PostgreSQL).
            refresh_statistics()
        seed_apps(seed=seed, log=say, spec=spec)
        refresh_statistics()  # the planner must know the tables are no longer empty
        say(f"演示区「{spec.name}」就绪，用时 {time.monotonic() - t0:.1f} 秒{label}")
        return district is None

    def print_summary(self, counts):
        say = self.say
        places = counts["places"]
        say(
            "地点："
            + "，".join(
                f"{PlaceKind(kind).label} {places[kind]:,}" for kind in PlaceKind.values
            )
        )
        say(
            f"居民 {counts['residents']:,} 人，户 {counts['households']:,} 户，"
            f"党员 {counts['party_members']:,} 名，党组织 {counts['party_orgs']:,} 个，"
            f"单位 {counts['units']:,} 个"
        )
        say(
            f"大工委/大党委成员单位 {counts['joint_units']:,} 个，兼职委员 "
            f"{counts['part_time_members']:,} 名，职能部门 {counts['departments']} 个"
        )
