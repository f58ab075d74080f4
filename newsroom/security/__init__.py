"""What keeps a production Newsroom safe beyond Django's defaults.

- ``origin``: the one canonical origin of every absolute URL (never the Host header);
- ``headers``: the Content-Security-Policy's per-surface parts and the Permissions-Policy;
- ``checks``: system checks for a production start (shared cache, public https origin).
"""
