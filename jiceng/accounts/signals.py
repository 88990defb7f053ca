"""At login, note in the session whether the account still has its initial password."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .models import MemberAccount

SESSION_KEY = "jiceng_initial_password"


@receiver(user_logged_in)
def note_initial_password(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if MemberAccount.objects.filter(user=user, must_change_password=True).exists():
        request.session[SESSION_KEY] = True
    else:
        request.session.pop(SESSION_KEY, None)
