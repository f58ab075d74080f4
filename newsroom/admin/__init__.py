"""The editors' admin, one module per screen group.

- ``articles``: the article form with its inlines, the text import, topics, liveblog cards;
- ``workflow``: the workflow buttons and list actions on the article form;
- ``history``: revisions, comparison and restore;
- ``conflicts``: the edit-conflict check of the article form;
- ``partners``: API partners and their keys;
- ``webhooks``: partners' webhook endpoints and the delivery log;

Importing the package registers every model admin (Django's autodiscovery imports it).
"""

from newsroom.admin.articles import ArticleAdmin, LiveblogLinkAdmin, TopicAdmin
from newsroom.admin.partners import PartnerAdmin, PartnerAPIKeyAdmin
from newsroom.admin.webhooks import WebhookDeliveryAdmin, WebhookEndpointAdmin

__all__ = [
    "ArticleAdmin",
    "LiveblogLinkAdmin",
    "PartnerAPIKeyAdmin",
    "PartnerAdmin",
    "TopicAdmin",
    "WebhookDeliveryAdmin",
    "WebhookEndpointAdmin",
]
