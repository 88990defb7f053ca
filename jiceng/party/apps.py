from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "jiceng.party"
    verbose_name = "党组织"

    def ready(self):
        # the members ledger (jiceng.core.ledgers) and the place-page panel
        from . import exporters, importers, tiles  # noqa: F401  (and the tiles)
        from .views import places  # noqa: F401
