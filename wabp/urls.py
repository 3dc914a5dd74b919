from django.contrib import admin
from django.urls import include, path

from wabp import ops, views

urlpatterns = [
    path("", include("groups.search.homepage")),
    path("healthz", views.healthz, name="healthz"),
    path("ping", ops.ping, name="ping"),
    path("", include("groups.urls")),
    path("", include("postcodes.urls")),
    path("e-learning/", include("elearning.urls")),
    path("panels/", include("panels.urls")),
    path("taal/", views.set_language, name="set_language"),
    path("account/", include("wabp.urls_accounts")),
    path("admin/", admin.site.urls),
    # Content pages last: their slugs must not shadow an app's URL.
    path("over-ons/memorandum/", views.page, {"slug": "memorandum"}, name="memorandum"),
    path("<slug:slug>/", views.page, name="page"),
]

handler404 = "wabp.views.not_found"
handler500 = "wabp.views.server_error"
