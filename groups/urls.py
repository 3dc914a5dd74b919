"""The groups app's URLs: one include per feature folder, all in the `groups` namespace."""

from django.urls import include, path

app_name = "groups"

urlpatterns = [
    path("", include("groups.search.urls")),
    path("", include("groups.registration.urls")),
    path("", include("groups.join.urls")),
    path("beheer/", include("groups.beheer.urls")),
    path("", include("groups.maps.urls")),
    path("", include("groups.municipalities.urls")),
    path("", include("groups.staffaccess.urls")),
    path("", include("groups.policeaccess.urls")),
    path("", include("groups.figures.urls")),
    path("", include("groups.waitinglist.urls")),
    path("", include("groups.broadcasts.urls")),
    path("", include("groups.takeover.urls")),
    path("", include("groups.areamessages.urls")),
    path("", include("groups.opendata.urls")),
    path("politie/", include("groups.police.urls")),
    path("", include("groups.reporting.urls")),
    path("", include("groups.recruitment.urls")),
    # Issue 17, part 5: splitting a group.
    path("", include("groups.split.urls")),
    # Issue #17 part 4: the monthly test.
    path("", include("groups.monthlytest.urls")),
    path("", include("groups.tips.urls")),
]
