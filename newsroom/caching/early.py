"""Revalidations answered before the session, CSRF, authentication and messages middleware.

Most requests a cache or a partner sends on a news night are conditional GETs of something
that has not changed. ``RevalidationMiddleware`` sits after the middleware whose headers
every response carries (security, frame options, language, host check) and before the rest:
for a view that says how to answer a revalidation (``early_revalidation``, set by
``public_response`` and by the API's ``answering_revalidations``) it asks that view's own
answer, computed from the stamp exactly as the view would, and returns it. Everything else,
and every revalidation those answers decline, passes on untouched.
"""

import functools

from django.conf import settings
from django.urls import Resolver404, resolve


def early_answer(answer):
    """Mark a view function: ``answer(request, *args, **kwargs)`` gives its 304 (or 412), or ``None``."""

    def mark(view):
        view.early_revalidation = answer
        return view

    return mark


class RevalidationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if request.method in ("GET", "HEAD") and ("HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta):
            response = self.answer(request)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def answer(request):
        found = _early_answer_for(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)
        if found is None:
            return None
        answer, args, kwargs = found
        request.early_asked = True  # the view does not ask again
        return answer(request, *args, **kwargs)


@functools.lru_cache(maxsize=4096)
def _early_answer_for(path, urlconf):
    """A path's early answer and its arguments, or ``None``; remembered (pollers ask for the same few)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    answer = getattr(match.func, "early_revalidation", None)
    return (answer, match.args, match.kwargs) if answer is not None else None
