from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiceng.cases"
    verbose_name = "事件案卷"
