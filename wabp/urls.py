from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from wabp import ops, views

# Outside the language prefix: probes, and the board's admin (always Dutch).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("ping", ops.ping, name="ping"),
    path("admin/", admin.site.urls),
]

# Every page in two languages: Dutch without a prefix, English under /en/ (the URL alone
# decides, see wabp.middleware.UrlLanguageMiddleware). The groups app's data URLs (map
# GeoJSON and area lookup) come along with its pages; pages link to the Dutch address of
# the language-neutral GeoJSON, so caches keep one copy.
urlpatterns += i18n_patterns(
    path("", include("groups.search.homepage")),
    path("", include("groups.urls")),
    path("", include("postcodes.urls")),
    path("e-learning/", include("elearning.urls")),
    path("panels/", include("panels.urls")),
    path("account/", include("wabp.urls_accounts")),
    # Content pages last: their slugs must not shadow an app's URL.
    path("over-ons/memorandum/", views.page, {"slug": "memorandum"}, name="memorandum"),
    path("<slug:slug>/", views.page, name="page"),
    prefix_default_language=False,
)

handler403 = "wabp.views.permission_denied"
handler404 = "wabp.views.not_found"
handler500 = "wabp.views.server_error"
