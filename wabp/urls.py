from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from wabp import ops, views

urlpatterns = [
    path("", include("groups.search.homepage")),
    path("healthz", views.healthz, name="healthz"),
    path("ping", ops.ping, name="ping"),
    path("", include("groups.urls")),
    path("", include("postcodes.urls")),
    path("e-learning/", include("elearning.urls")),
    path("panels/", include("panels.urls")),
    path("taal/", set_language, name="set_language"),
    path("account/", include("wabp.urls_accounts")),
    path("admin/", admin.site.urls),
    # Content pages last: their slugs must not shadow an app's URL.
    path("over-ons/memorandum/", views.page, {"slug": "memorandum"}, name="memorandum"),
    path("<slug:slug>/", views.page, name="page"),
]

handler403 = "wabp.views.permission_denied"
handler404 = "wabp.views.not_found"
handler500 = "wabp.views.server_error"
