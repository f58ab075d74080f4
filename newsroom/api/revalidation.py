"""A partner's revalidation of an unchanged document, answered before Django REST framework's machinery.

Partners poll: most of their requests are conditional GETs of documents that have not
changed. DRF's request wrapping, content negotiation and response finalising cost more than
everything such a request needs, so ``answering_revalidations`` puts a short path in front
of each API view: one query gives the document's stamp (``newsroom.caching.stamps``) and,
beside it, the state of the partner's key. The key is checked as ``PartnerKeyAuthentication``
checks it (``check_key``; a key that passed against the same stored row is remembered), the
view's own permissions and throttles run, and when the request's validators still match, the
answer is a 304 with the headers DRF would have given.

It only ever answers that one case. Anything else goes to DRF untouched, which then decides
and words the answer: no ``Api-Key`` header (staff sessions, anonymous clients), a key that
fails any check, an ``Accept`` or ``?format=`` asking for something other than JSON, a key
over its limit (DRF counts the request again and answers 429), a malformed id, a document
that is gone or has changed. The throttle counts a request answered here once, as DRF would.
"""

import functools
from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions

from newsroom.api.auth import (
    PartnerKeyAuthentication,
    checked_key_from_beside,
    key_beside,
    key_prefix,
    presented_key,
)
from newsroom.caching import not_modified
from newsroom.caching.early import early_answer

_KEY = key_beside()
# Accept headers that DRF's negotiation resolves to JSON for these views (JSON is the first renderer).
_JSON_ACCEPTS = frozenset({"", "*/*", "application/json"})


def answering_revalidations(view, viewset, actions):
    """``view`` (a viewset's ``as_view()``) with partners' matching revalidations answered first."""
    probe = viewset(**getattr(view, "initkwargs", {}))
    probe.action_map = actions
    for method, action in actions.items():
        setattr(probe, method, getattr(probe, action))
    if "get" in actions and "head" not in actions:
        probe.head = probe.get
    allow = ", ".join(probe.allowed_methods)
    get_action = actions.get("get")

    def early(request, *args, **kwargs):
        if get_action is None or not _worth_a_look(request):
            return None
        response = _early_304(request, viewset, get_action, kwargs)
        if response is not None:
            response["Allow"] = allow
        return response

    # Asked by newsroom.caching.early before most middleware, or here when it is not installed.
    @early_answer(early)
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(request, "early_asked", False):
            response = early(request, *args, **kwargs)
            if response is not None:
                return response
        return view(request, *args, **kwargs)

    return wrapper


def _worth_a_look(request):
    meta = request.META
    return (
        request.method in ("GET", "HEAD")
        and ("HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta)
        and meta.get("HTTP_AUTHORIZATION", "").startswith("Api-Key ")
        and meta.get("HTTP_ACCEPT", "").strip() in _JSON_ACCEPTS
        and "format=" not in meta.get("QUERY_STRING", "")  # ?format=api: the browsable API, for DRF
    )


def _early_304(request, viewset, action, kwargs):
    instance = viewset(action=action, kwargs=kwargs, format_kwarg=None)
    authenticators = instance.authentication_classes
    if not authenticators or not issubclass(authenticators[0], PartnerKeyAuthentication):
        return None  # a view that authenticates otherwise: DRF's business
    try:
        key = presented_key(request)
        prefix = key_prefix(key) if key else None
        if prefix is None:
            return None
        # One query: the document's stamp and, beside it, the key's current state.
        stamp = instance.revalidation_stamp(action, kwargs, beside=_KEY, params={"key_prefix": prefix})
        if stamp is None:
            return None
        api_key = checked_key_from_beside(stamp.values, key)
    except exceptions.APIException:
        return None  # DRF words the error
    shim = SimpleNamespace(user=AnonymousUser(), auth=api_key, META=request.META, method=request.method)
    if not all(permission.has_permission(shim, instance) for permission in instance.get_permissions()):
        return None
    response = not_modified(request, stamp)
    if response is None:
        return None
    if not all(throttle.allow_request(shim, instance) for throttle in instance.get_throttles()):
        return None  # DRF counts it again and answers 429 with Retry-After
    return instance.finalize_revalidation(response, stamp)
