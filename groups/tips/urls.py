"""The prevention tips (mounted at the root, namespace `groups`)."""

from django.urls import path

from groups.tips import views

urlpatterns = [
    path("tips/", views.tip_list, name="tips"),
    path("tips/abonneren/", views.subscription, name="tip_subscription"),
    path("tips/<slug:slug>/", views.tip_detail, name="tip"),
    path("afmelden/preventietips/<str:token>/", views.unsubscribe, name="tip_unsubscribe"),
    path(
        "afmelden/preventietips/<str:token>/direct/",
        views.unsubscribe_one_click,
        name="tip_unsubscribe_one_click",
    ),
]
