from django.apps import AppConfig


class VolunteerConfig(AppConfig):
    name = "jiceng.volunteer"
    verbose_name = "双报到与志愿服务"
