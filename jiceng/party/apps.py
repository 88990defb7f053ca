from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jiceng.party"
    verbose_name = "党组织"

    def ready(self):
        from . import transfer  # noqa: F401  (registers the members ledger)
