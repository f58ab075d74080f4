"""Newsroom's URLs: the public pages under German paths, the admin under /admin/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from newsroom import views
from newsroom.api import router

app_patterns = (
    [
        path("", views.home, name="home"),
        path("nachrichten/<slug:slug>-<int:pk>/", views.article_detail, name="article"),
        path("themen/<slug:slug>/", views.topic_detail, name="topic"),
    ],
    "newsroom",
)

urlpatterns = [
    path("", include(app_patterns)),
    path("api/v1/", include((router.urls, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
