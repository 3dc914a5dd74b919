"""The report helper (/melden/): a member describes what they see, behaviour first, and gets a
message to paste into the group chat. Nothing is stored or sent: the answers come back in
the response to the POST and nowhere else (not in the URL, so not in any access log)."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from groups.reporting.forms import ReportForm


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def report_helper(request):
    form = ReportForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        context |= {"message": form.chat_message(), "must_call_112": form.must_call_112}
    return render(
        request,
        "groups/reporting/helper.html",
        context,
        status=400 if form.is_bound and form.errors else 200,
    )
