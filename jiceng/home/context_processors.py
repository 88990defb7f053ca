"""Navigation for the UI shell: which sections this user's roles open."""

from django.conf import settings

from .navigation import menu_for


def navigation(request):
    user = getattr(request, "user", None)
    return {
        "nav_menu": menu_for(user, request.path)
        if user is not None and user.is_authenticated
        else [],
        "jiceng_env": settings.JICENG_ENV,
        "tile_url": settings.JICENG_TILE_URL,
    }
