from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "jiceng.transfer"
    verbose_name = "台账导入导出"
