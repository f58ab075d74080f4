vcl 4.1;

# Varnish in front of Newsroom (Varnish 7 with varnish-modules' xkey).
#
# - Anonymous GET/HEAD of public pages, feeds and sitemaps are cached for as long as the
#   response's Cache-Control allows (s-maxage ends at the next scheduled go-live or take-down).
# - Newsroom purges by surrogate key when something readers see changes: it sends
#   "PURGE /" with an "xkey-purge: article-12 listing" header (NEWSROOM_VARNISH_URLS); every
#   object tagged with one of those keys in its "xkey" header is gone at once.
# - The admin, previews and the partner API (every request with credentials) pass: they are
#   per user, and the API checks keys and throttles per request.
#
# Copy this file, set the backend to where gunicorn listens, and start e.g.
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -s malloc,256m

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# Who may purge: the machines Newsroom runs on.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|vorschau)/" || req.http.Authorization) {
        return (pass);
    }
    if (req.url ~ "^/api/") {
        # Partner documents depend on the key (throttling, later embargoes): never shared.
        return (pass);
    }
    # Public pages are the same for everybody: cookies (an editor's session) do not matter.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (bereq.url ~ "^/(admin|vorschau)/") {
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Errors are not kept long: a 404 for an article planned to go live soon must not outlive it.
    if (beresp.status >= 400) {
        set beresp.ttl = 1s;
        set beresp.grace = 0s;
    }
    # Keep objects a while after their TTL for revalidation with If-None-Match (a cheap 304).
    set beresp.keep = 1h;
}

sub vcl_deliver {
    # The surrogate keys are for this cache only.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
