"""Send someone who logged in with an initial password to change it first.

The login hook (signals.py) notes it in the session, so other requests cost no
query. Logging out, the password page itself and static files stay reachable.
"""

from django.shortcuts import redirect
from django.urls import reverse

from .signals import SESSION_KEY

OPEN_PATHS = ("/logout/", "/static/", "/healthz")


class InitialPasswordMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            target = reverse("accounts:first_password")
            path = request.path
            if path != target and not path.startswith(OPEN_PATHS):
                if not request.user.is_authenticated:
                    session.pop(SESSION_KEY, None)
                else:
                    return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)
