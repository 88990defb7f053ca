"""The public portal's cases section: how to report, and the status by token."""

from jiceng.core.public import register_public_section


def register():
    register_public_section(
        "cases.report",
        title="我要报事 · 进度查询",
        order=5,
        url="cases:public_lookup",
        icon="camera",
        template="cases/public_section.html",
        description="身边的问题随手拍上报，凭查询码随时查看办理进度。",
    )
