"""Assessment's pages, one module per subject."""

from .bulletins import *  # noqa: F403
from .entry import *  # noqa: F403
from .programmes import *  # noqa: F403
from .property import *  # noqa: F403
from .supervision import *  # noqa: F403
