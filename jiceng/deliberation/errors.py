"""Error codes of 议事协商, used by ValidationError(code=…) and the API."""

from django.db import models

from jiceng.core.errors import Conflict


class Code(models.TextChoices):
    BAD_STATE = "bad_state", "当前状态不能执行该操作"
    PROCEDURE = "procedure", "未完成该等级议题要求的程序"
    NOT_QUORATE = "not_quorate", "会议未达到法定人数"
    WINDOW = "window", "不在投票时间内"
    ELECTORATE = "electorate", "不在本次表决的范围内"
    ALREADY_VOTED = "already_voted", "已投过票"
    CHOICE = "choice", "无效的选项"
    LATE = "late", "已超过急事急议的24小时时限"
    PUBLICITY = "publicity", "公示期未满或仍有未处理的异议"


class AlreadyVoted(Conflict):
    """The voter (or their household) has already voted: the API answers 409."""

    def __init__(self, message="您（您家）已经投过票了，每户只能投一次"):
        super().__init__(message)
        self.code = Code.ALREADY_VOTED
