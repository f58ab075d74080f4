"""Sign-in lockout (django-axes): after ``NEWSROOM_LOGIN_FAILURES`` wrong passwords for one user from one
address, that pair is refused (the right password too) until the cool-off ends or an administrator
lifts it under "Zugriffsversuche" in the admin.
"""

from axes.backends import AxesStandaloneBackend
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check for sign-ins through a request (the admin's login form); others pass on to the next backend.

    A sign-in without a request (a management command, the test client's ``login()``) is not
    a form anyone can hammer from outside, and Axes could not tell its address anyway.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The German page for a locked-out sign-in (``AXES_LOCKOUT_CALLABLE``), status 429."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_timedelta": cool_off,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "admin/newsroom/locked_out.html", context, status=429)
