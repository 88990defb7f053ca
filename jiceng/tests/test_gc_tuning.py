"""The web process freezes what loading created and keeps Python's thresholds
(jiceng.gc_tuning); an operator can set other thresholds or turn it off."""

import gc

import pytest

from jiceng import gc_tuning


@pytest.fixture
def collector():
    """Give the test process its collector back as it was."""
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_by_default_the_loaded_site_is_frozen_and_the_thresholds_kept(
    collector, settings
):
    settings.JICENG_GC_THRESHOLD = ""
    pythons_own = gc.get_threshold()
    assert gc_tuning.freeze_loaded_site() == pythons_own
    assert gc.get_threshold() == pythons_own
    assert gc.get_freeze_count() > 0


def test_an_operator_sets_other_thresholds(collector, settings):
    settings.JICENG_GC_THRESHOLD = "20000, 10, 10"
    assert gc_tuning.freeze_loaded_site() == (20000, 10, 10)
    assert gc.get_threshold() == (20000, 10, 10)


def test_off_leaves_the_collector_alone(collector, settings):
    settings.JICENG_GC_THRESHOLD = "off"
    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    assert gc_tuning.freeze_loaded_site() is None
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


@pytest.mark.parametrize("raw", ["50000,20", "0,10,10", "many,10,10"])
def test_a_malformed_setting_stops_the_process_with_a_clear_message(settings, raw):
    settings.JICENG_GC_THRESHOLD = raw
    with pytest.raises(ValueError, match="JICENG_GC_THRESHOLD"):
        gc_tuning.configured_threshold()
