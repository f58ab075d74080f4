"""Newsroom's URLs and ``/bench/hello/``: the cheapest response Django can give through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse(b"Hallo Welt", content_type="text/plain; charset=utf-8")


urlpatterns = [
    path("bench/hello/", hello),
    path("", include("newsroom.urls")),
]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
