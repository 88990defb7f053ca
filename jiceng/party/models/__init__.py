"""Party models: the organisation tree and members (tree), organisational life and
standardisation (life), members at work and non-territorial organisations (work),
membership processes (membership)."""

from .life import *  # noqa: F403
from .membership import *  # noqa: F403
from .tree import *  # noqa: F403
from .work import *  # noqa: F403
