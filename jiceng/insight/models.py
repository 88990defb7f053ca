"""Figure: one tile's figure for one place and month, rolled up by
services.refresh_figures so that a dashboard reads a few hundred rows instead of
scanning cases, residents and meetings on every view.

Rows are derived, never edited: who may read them is decided by the place they
belong to (services.place_for, core.scope's place grants for insight.view), so the
model carries no Scope of its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Figure(models.Model):
    place = models.ForeignKey(
        "places.Place",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("地点"),
    )
    key = models.CharField(_("指标"), max_length=64)  # core.tiles key
    month = models.DateField(_("月份"))  # first day of the month
    value = models.FloatField(_("数值"), null=True, blank=True)  # None: no rate
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("看板指标")
        verbose_name_plural = _("看板指标")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "key", "month"], name="one_figure_per_place_month"
            )
        ]
        indexes = [models.Index(fields=["key", "month"])]

    def __str__(self):
        return f"{self.place_id} {self.key} {self.month:%Y-%m} = {self.value}"
