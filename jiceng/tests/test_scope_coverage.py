"""Every scoped model joins the shared scope matrix (jiceng.core.testing).

A new app's model with a `scope` that no app's tests/test_scope_matrix.py lists
fails here, so the matrix grows with the platform instead of being remembered.
"""

import importlib

from django.conf import settings

from jiceng.core.testing import scoped_models


def registered_models():
    models = set()
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jiceng."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.test_scope_matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tests.test_scope_matrix":
                raise
            continue
        models |= {surface.model for surface in module.SURFACES}
    return models


def test_every_scoped_model_is_in_the_matrix():
    # given every installed model that declares a Scope
    scoped = {m for m in scoped_models()}
    # when the apps' matrices are gathered
    missing = scoped - registered_models()
    # then none is left out
    assert not missing, sorted(f"{m._meta.label}" for m in missing)
