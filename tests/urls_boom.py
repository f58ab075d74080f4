"""A URLconf with one failing view, to see the German 500 page."""

from django.urls import path

from newsroom.urls import urlpatterns as site_patterns


def boom(request):
    raise RuntimeError("Absichtlicher Fehler für den Test")


urlpatterns = [path("boom/", boom), *site_patterns]
handler500 = "newsroom.views.server_error"
