"""Error codes for imports and exports, shared by the pages, the CLI and services."""

from django.db import models


class TransferError(models.TextChoices):
    UNKNOWN_KIND = "unknown_kind", "未知的台账类型"
    FILE_TYPE = "file_type", "文件格式不支持"
    FILE_SIZE = "file_size", "文件过大"
    UNREADABLE = "unreadable", "文件无法读取"
    NO_SHEET = "no_sheet", "没有这个工作表"
    MAPPING = "mapping", "列对应无效"
    MAPPING_INCOMPLETE = "mapping_incomplete", "仍缺少必填列"
    NOT_COMMITTABLE = "not_committable", "该预检不能确认导入"
    EXPORT_GONE = "export_gone", "导出文件已删除或尚未生成"
