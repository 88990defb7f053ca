"""Assessment and supervision: 红色物业 ratings and 红黑榜, 督察检查 and the
rectification ledger, bulletins, 示范项目/创投 calls, community funds, honours
and 述职评议."""

from .bulletins import *  # noqa: F403
from .funds import *  # noqa: F403
from .honours import *  # noqa: F403
from .projects import *  # noqa: F403
from .property import *  # noqa: F403
from .supervision import *  # noqa: F403
