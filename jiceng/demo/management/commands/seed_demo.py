"""Generate the demo district (中和区) deterministically from a seed."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError, RestrictedError

from jiceng.core.planner import refresh_statistics
from jiceng.demo.accounts import USERNAMES
from jiceng.demo.common import DISTRICT_CODE, SIZES, find_district
from jiceng.demo.generator import (
    DemoGenerator,
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
            help="规模：small（约5千居民）或 district（约20万居民）",
        )
        parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="先删除已生成的演示数据（审计日志保留）",
        )

    def handle(self, *args, size, seed, reset, verbosity=1, **options):
        started = time.monotonic()
        say = self.stdout.write if verbosity > 0 else (lambda message: None)
        self.say = say
        if reset:
            say("正在删除已有演示数据……")
            try:
                delete_demo_data(USERNAMES, log=say)
                say(f"删除用时 {time.monotonic() - started:.1f} 秒")
            except (ProtectedError, RestrictedError) as exc:
                raise CommandError(
                    "其他模块的数据仍引用演示数据，无法自动删除；请先清空这些数据"
                    f"（或 manage.py flush）后重试：{exc}"
                ) from exc
        district = find_district()
        if district is not None:
            say(
                self.style.WARNING(
                    f"演示区「{district.name}」（{DISTRICT_CODE}）已存在，不再重复生成；"
                    "仅更新演示账号。如需重新生成请加 --reset。"
                )
            )
        else:
            say(f"开始生成演示区：规模 {size}，种子 {seed}")
            DemoGenerator(size=size, seed=seed, log=say).run()
            # The apps' seeders query the tables just filled: without statistics
            # the planner takes them for empty (a district's resident accounts
            # then took minutes instead of seconds on PostgreSQL).
            refresh_statistics()
        seed_apps(seed=seed, log=say)
        refresh_statistics()  # the planner must know the tables are no longer empty
        refresh_figures(months=12)  # the dashboards' rollup, a year back
        self.print_summary(summarize())
        say(self.style.SUCCESS(f"完成，用时 {time.monotonic() - started:.1f} 秒"))

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
