"""What the article admin's screens share: URL names built one way, and loading an object with its permission.

``AdminScreenMixin`` goes first among a model admin's bases. Every extra screen (workflow
buttons, preview link, history, comparison, restore) names its URL with ``url_name()``,
reverses with ``admin_url()`` and starts with ``object_or_redirect()``.
"""

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext
from js_asset import Media as AssetMedia


def url_name(opts, name):
    """``newsroom_article_publish``: the admin's own naming of a model's URLs (``admin_urlname`` in templates)."""
    return f"{opts.app_label}_{opts.model_name}_{name}"


def admin_url(opts, name, *args, query=None, site_name="admin"):
    """The address of a model's admin screen, e.g. ``admin_url(Article._meta, "change", 12)``."""
    url = reverse(f"{site_name}:{url_name(opts, name)}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def with_nonce(request, media):
    """``media`` with the request's CSP nonce on its scripts: the rich text editor's import map is inline."""
    return AssetMedia.from_media(media, nonce=request.csp_nonce)


class AdminScreenMixin:
    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = with_nonce(request, context["media"])
        return super().render_change_form(request, context, *args, **kwargs)

    def url_name(self, name):
        return url_name(self.opts, name)

    def admin_url(self, name, *args, query=None):
        """The address of one of this admin's screens, e.g. ``admin_url("change", 12)``."""
        return admin_url(self.opts, name, *args, query=query, site_name=self.admin_site.name)

    def screen(self, route, view, name):
        """A URL pattern for an extra screen: wrapped by ``admin_view`` (login, staff, no cache)."""
        return path(route, self.admin_site.admin_view(view), name=self.url_name(name))

    def object_or_redirect(self, request, object_id, *, change=False):
        """``(obj, None)``, or ``(None, response)`` when there is no such object.

        The response is the admin's own: back to the list with "… existiert nicht".
        Raises ``PermissionDenied`` unless the user may change the object (``change=True``)
        or at least view it.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None, self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        allowed = (
            self.has_change_permission(request, obj) if change else self.has_view_or_change_permission(request, obj)
        )
        if not allowed:
            raise PermissionDenied
        return obj, None


class CappedCountPaginator(Paginator):
    """A changelist pager that counts at most ``CAP`` rows: page links reach far enough, the count stays cheap.

    Counting every row of a 100,000-article archive on every list view costs more than the
    page itself; beyond ``CAP`` the list says "1000" and offers the pages up to there (the
    search and the filters narrow it down further).
    """

    CAP = 1_000

    @cached_property
    def count(self):
        # Unordered: how many of the first CAP rows there are does not depend on their order,
        # and without it the database stops after CAP rows of any index instead of sorting.
        return self.object_list.order_by()[: self.CAP].count()

    @property
    def capped(self):
        return self.count >= self.CAP


class LongListMixin:
    """A changelist of a big table: pages of 25 rows, each row's checkbox written out directly.

    A row costs about a millisecond to render; editors find older articles by the search and
    the filters rather than by paging, so 25 rows (as many as a screen shows) keep every list
    page fast however big the archive. Django renders the selection checkbox of every row
    through the form template engine, which costs as much as the rest of the row; the markup
    here is the same (a test compares the two).
    """

    list_per_page = 25

    def action_checkbox(self, obj):
        label = format_html(gettext("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )
