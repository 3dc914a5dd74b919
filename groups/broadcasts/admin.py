"""The board's admin for broadcasts to group admins and their deliveries.

A broadcast goes: write (add form) -> preview with the number of recipients -> test mail to
yourself -> send -> confirm (the number of recipients once more, with Cancel). Test-send needs the change permission on broadcasts, sending the
`groups.send_broadcast` permission; both are POST-only admin views (CSRF-protected by the
admin). After sending, the preview page shows the delivery figures and links to the list of
recipients with the status of each mail.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from groups.broadcasts import delivery as broadcasting
from groups.mail import broadcast_context
from groups.models import (
    Broadcast,
    BroadcastDelivery,
    BroadcastOptOut,
)
from postcodes.models import Municipality
from wabp.text import render_markdown

SEND_PERMISSION = "groups.send_broadcast"


def province_choices():
    provinces = (
        Municipality.objects.exclude(province="")
        .order_by("province")
        .values_list("province", flat=True)
        .distinct()
    )
    return [("", _("Alle provincies"))] + [(p, p) for p in provinces]


class BroadcastForm(forms.ModelForm):
    province = forms.ChoiceField(label=_("provincie"), required=False, choices=province_choices)

    class Meta:
        model = Broadcast
        fields = ["subject", "body", "essential", "province", "municipality", "platform"]
        help_texts = {
            "body": _(
                "Markdown: **vet**, *schuin*, [linktekst](https://…), een lijst met - aan het "
                "begin van elke regel, een lege regel tussen alinea's. De aanhef ('Beste …') en "
                "de groet zet het portaal er zelf bij."
            ),
            "municipality": _("Leeg: alle gemeenten. Filters tellen samen op."),
        }

    def clean(self):
        data = super().clean()
        municipality, province = data.get("municipality"), data.get("province")
        if municipality and province and municipality.province != province:
            self.add_error(
                "municipality",
                _("Gemeente %(name)s ligt niet in %(province)s.")
                % {"name": municipality.name, "province": province},
            )
        return data


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    form = BroadcastForm
    change_form_template = "admin/groups/broadcast/change_form.html"
    list_display = ["subject", "audience", "essential", "created_at", "sent_at", "delivered"]
    list_filter = ["essential", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["subject"]
    list_select_related = ["municipality"]
    autocomplete_fields = ["municipality"]
    fieldsets = [
        (None, {"fields": ["subject", "body", "essential"]}),
        (
            _("Ontvangers: beheerders van actieve groepen"),
            {"fields": ["province", "municipality", "platform"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                recipient_count=Count("deliveries"),
                sent_count=Count("deliveries", filter=Q(deliveries__email__sent_at__isnull=False)),
            )
        )

    @admin.display(description=_("ontvangers"))
    def audience(self, obj: Broadcast) -> str:
        return broadcasting.describe_audience(obj)

    @admin.display(description=_("afgeleverd"))
    def delivered(self, obj: Broadcast) -> str:
        if not obj.is_sent:
            return "–"
        return _("%(sent)d van %(total)d") % {"sent": obj.sent_count, "total": obj.recipient_count}

    def has_change_permission(self, request, obj=None) -> bool:
        # A sent message is a record of what the admins received: view only.
        if obj is not None and obj.is_sent:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_sent:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # After saving, the next step is always the preview.
    def response_post_save_add(self, request, obj):
        return HttpResponseRedirect(reverse("admin:groups_broadcast_preview", args=[obj.pk]))

    def response_post_save_change(self, request, obj):
        return HttpResponseRedirect(reverse("admin:groups_broadcast_preview", args=[obj.pk]))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/voorbeeld/", view(self.preview_view), name="groups_broadcast_preview"),
            path(
                "<int:pk>/testmail/",
                view(require_POST(self.test_send_view)),
                name="groups_broadcast_test_send",
            ),
            path(
                "<int:pk>/versturen/",
                view(require_POST(self.send_view)),
                name="groups_broadcast_send",
            ),
            *super().get_urls(),
        ]

    # The one access check for broadcast views.
    def get_broadcast(self, request: HttpRequest, pk: int, action: str = "view") -> Broadcast:
        """The broadcast, if the board member may `view`, `test` or `send` it; else 403/404."""
        allowed = {
            "view": self.has_view_permission(request),
            "test": self.has_change_permission(request),
            "send": request.user.has_perm(SEND_PERMISSION),
        }[action]
        if not allowed:
            raise PermissionDenied
        obj = Broadcast.objects.select_related("municipality").filter(pk=pk).first()
        if obj is None:
            raise Http404
        return obj

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_broadcast(request, pk)
        body_html = render_markdown(obj.body)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Voorbeeld: %(subject)s") % {"subject": obj.subject},
            "audience": broadcasting.describe_audience(obj),
            "message": broadcast_context(obj, request.user, body_html),
            "can_edit": self.has_change_permission(request, obj),
            "can_test": self.has_change_permission(request),
            "can_send": request.user.has_perm(SEND_PERMISSION),
        }
        if obj.is_sent:
            # Who actually got it, not who would get it today.
            figures = obj.deliveries.aggregate(
                total=Count("pk"),
                sent=Count("pk", filter=Q(email__sent_at__isnull=False)),
                retrying=Count("pk", filter=Q(email__sent_at__isnull=True, email__attempts__gt=0)),
            )
            figures["pending"] = figures["total"] - figures["sent"]
            context["figures"] = figures
            context["recipient_count"] = figures["total"]
            context["deliveries_url"] = (
                reverse("admin:groups_broadcastdelivery_changelist")
                + f"?broadcast__id__exact={obj.pk}"
            )
        else:
            context["recipient_count"] = broadcasting.audience(obj).count()
            context["opted_out_count"] = broadcasting.opted_out_count(obj)
        return TemplateResponse(request, "admin/groups/broadcast/preview.html", context)

    def test_send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_broadcast(request, pk, "test")
        broadcasting.send_test(obj, request.user)
        messages.success(
            request,
            _("Er is een testbericht onderweg naar %(email)s. Alleen u krijgt het.")
            % {"email": request.user.email},
        )
        return redirect("admin:groups_broadcast_preview", pk=obj.pk)

    def send_confirm_page(
        self, request: HttpRequest, obj: Broadcast, count: int, *, changed: bool
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": obj,
            "title": _("Versturen: %(subject)s") % {"subject": obj.subject},
            "audience": broadcasting.describe_audience(obj),
            "recipient_count": count,
            "opted_out_count": 0 if obj.essential else broadcasting.opted_out_count(obj),
            "changed": changed,
        }
        return TemplateResponse(request, "admin/groups/broadcast/send_confirm.html", context)

    def send_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_broadcast(request, pk, "send")
        if obj.is_sent:
            messages.warning(request, _("Dit bericht is al verstuurd. Er gaat niets dubbel."))
            return redirect("admin:groups_broadcast_preview", pk=obj.pk)
        count = broadcasting.audience(obj).count()
        if count == 0:
            messages.error(request, _("Dit bericht heeft geen ontvangers. Pas de filters aan."))
            return redirect("admin:groups_broadcast_preview", pk=obj.pk)
        # Two steps: the preview's button asks first (subject, audience, number of
        # recipients); only the confirmation page's button sends, and only to the number it
        # showed -- if the audience changed meanwhile, it asks again with the new number.
        confirmed = request.POST.get("confirmed") == "yes"
        if not confirmed or request.POST.get("recipient_count") != str(count):
            return self.send_confirm_page(request, obj, count, changed=confirmed)
        with transaction.atomic():
            if not obj.claim_for_sending():  # another board member pressed send just now
                messages.warning(request, _("Dit bericht is al verstuurd. Er gaat niets dubbel."))
                return redirect("admin:groups_broadcast_preview", pk=obj.pk)
            broadcasting.send_broadcast.enqueue(obj.pk)
            self.log_change(request, obj, _("Verstuurd naar %(n)d beheerders.") % {"n": count})
        messages.success(
            request,
            _(
                "Het bericht gaat naar %(n)d beheerders. Hieronder ziet u hoeveel e-mails zijn "
                "afgeleverd; ververs de pagina om de stand bij te werken."
            )
            % {"n": count},
        )
        return redirect("admin:groups_broadcast_preview", pk=obj.pk)


class DeliveryStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("sent", _("verzonden")),
            ("pending", _("nog niet verzonden")),
            ("retrying", _("mislukt, wacht op nieuwe poging")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "sent":
            return queryset.filter(email__sent_at__isnull=False)
        if self.value() == "pending":
            return queryset.filter(Q(email__isnull=True) | Q(email__sent_at__isnull=True))
        if self.value() == "retrying":
            return queryset.filter(email__sent_at__isnull=True, email__attempts__gt=0)
        return queryset


@admin.register(BroadcastDelivery)
class BroadcastDeliveryAdmin(admin.ModelAdmin):
    """Read-only: per recipient, whether the mail went out (from the outbox row)."""

    list_display = ["recipient", "broadcast", "status", "attempts", "sent_at", "last_error"]
    list_filter = [DeliveryStatusFilter, ("broadcast", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "broadcast", "email"]
    search_fields = ["user__email", "broadcast__subject"]
    show_full_result_count = False
    fields = ["broadcast", "user", "email", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("ontvanger"), ordering="user__email")
    def recipient(self, obj: BroadcastDelivery) -> str:
        return obj.user.email

    @admin.display(description=_("status"))
    def status(self, obj: BroadcastDelivery) -> str:
        if obj.email is None:
            return _("geen e-mail (gewist)")
        if obj.email.sent_at:
            return _("verzonden")
        if obj.email.attempts:
            return _("mislukt, wacht op nieuwe poging")
        return _("in de wachtrij")

    @admin.display(description=_("pogingen"))
    def attempts(self, obj: BroadcastDelivery) -> int | str:
        return obj.email.attempts if obj.email else "–"

    @admin.display(description=_("verzonden"), ordering="email__sent_at")
    def sent_at(self, obj: BroadcastDelivery):
        return obj.email.sent_at if obj.email else None

    @admin.display(description=_("laatste fout"))
    def last_error(self, obj: BroadcastDelivery) -> str:
        return obj.email.last_error if obj.email else ""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BroadcastOptOut)
class BroadcastOptOutAdmin(admin.ModelAdmin):
    """Who unsubscribed from non-essential messages; the board can undo one on request."""

    list_display = ["user_email", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    fields = ["user", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("gebruiker"), ordering="user__email")
    def user_email(self, obj: BroadcastOptOut) -> str:
        return obj.user.email

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
