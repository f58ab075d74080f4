"""The editorial roles, as groups: who may write drafts and who may publish.

Migration ``0004_editorial_roles`` made these groups with a frozen copy of the table below;
a test keeps the two equal, so a change here needs a new migration to reach existing sites.
What a role may do is enforced again by ``newsroom.services`` (the publish permission).
The permission names the code checks are the constants below; nothing else spells them.
"""

from django.contrib.auth.models import Group, Permission

REDAKTION = "Redaktion"
CHEF_VOM_DIENST = "Chef vom Dienst"

# The permissions the code asks for by name; every check in services, admin and templates uses these.
VIEW_ARTICLE = "newsroom.view_article"
ADD_ARTICLE = "newsroom.add_article"
CHANGE_ARTICLE = "newsroom.change_article"
DELETE_ARTICLE = "newsroom.delete_article"
# Publishing, scheduling and taking down (Article.Meta.permissions): the duty editor's.
PUBLISH_ARTICLE = "newsroom.publish_article"
ADD_TOPIC = "newsroom.add_topic"
# Partners' webhook endpoints: no role has it (the superusers' and whoever is given it by hand).
CHANGE_WEBHOOK = "newsroom.change_webhookendpoint"

# FAQ items, liveblog placements and broadcast mentions are rows inside an article's form:
# whoever edits drafts must be able to remove a question, so both roles may delete them.
# Articles, shared clips and liveblog cards are deleted only by the duty editor; topics
# (site structure with their own pages) are made by both roles, changed by the duty editor.
ROLE_PERMISSIONS = {
    REDAKTION: {
        VIEW_ARTICLE,
        ADD_ARTICLE,
        CHANGE_ARTICLE,
        "newsroom.view_articlelivebloglink",
        "newsroom.add_articlelivebloglink",
        "newsroom.change_articlelivebloglink",
        "newsroom.delete_articlelivebloglink",
        "newsroom.view_broadcastmention",
        "newsroom.add_broadcastmention",
        "newsroom.change_broadcastmention",
        "newsroom.delete_broadcastmention",
        "newsroom.view_livebloglink",
        "newsroom.add_livebloglink",
        "newsroom.change_livebloglink",
        "newsroom.view_topic",
        # A new topic stays hidden until an article in it is published (migration 0017).
        ADD_TOPIC,
        "faq.view_faqitem",
        "faq.add_faqitem",
        "faq.change_faqitem",
        "faq.delete_faqitem",
        "media_clips.view_videoclip",
        "media_clips.add_videoclip",
        "media_clips.change_videoclip",
    },
}
ROLE_PERMISSIONS[CHEF_VOM_DIENST] = ROLE_PERMISSIONS[REDAKTION] | {
    DELETE_ARTICLE,
    PUBLISH_ARTICLE,
    "newsroom.delete_livebloglink",
    "newsroom.change_topic",
    "media_clips.delete_videoclip",
}


def role_group(name):
    """The group for role ``name``; made with its permissions should it be missing (e.g. deleted).

    An existing group is returned as it is: a site may have adjusted its permissions.
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        wanted = ROLE_PERMISSIONS[name]
        candidates = Permission.objects.filter(codename__in={perm.split(".", 1)[1] for perm in wanted})
        group.permissions.set(
            permission
            for permission in candidates.select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        )
    return group
