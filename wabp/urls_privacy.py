"""The data-subject rights on "my account": download my data, delete my account."""

from django.urls import path

from wabp import privacy

urlpatterns = [
    path("mijn-gegevens/", privacy.download_data, name="my_data"),
    path("verwijderen/", privacy.delete, name="account_delete"),
    path("verwijderd/", privacy.deleted, name="account_deleted"),
]
