"""The board's admin for the prevention tips: edit them with a preview of the rendered
Markdown, filter by theme and month; the changelist says how many people get the monthly tip."""

from django import forms
from django.contrib import admin
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from groups.models import MONTHS, Tip, TipSubscription
from wabp.text import render_markdown


class MonthFilter(admin.SimpleListFilter):
    title = _("maand")
    parameter_name = "month"

    def lookups(self, request, model_admin):
        return [(str(month), MONTH_NAMES[month]) for month in MONTHS] + [
            ("all", _("Het hele jaar"))
        ]

    def queryset(self, request, queryset):
        if self.value() == "all":
            return queryset.filter(months=[])
        if self.value() and self.value().isdigit():
            return queryset.for_month(int(self.value()))
        return queryset


class TipForm(forms.ModelForm):
    class Meta:
        model = Tip
        fields = ["slug", "is_published", *Tip.CONTENT_FIELDS]
        widgets = {
            "chat_message": forms.Textarea(attrs={"rows": 4, "maxlength": Tip.CHAT_MAX_LENGTH}),
            "chat_message_en": forms.Textarea(attrs={"rows": 4, "maxlength": Tip.CHAT_MAX_LENGTH}),
        }


@admin.register(Tip)
class TipAdmin(admin.ModelAdmin):
    form = TipForm
    list_display = ["title", "theme", "months_shown", "is_published", "order", "has_english"]
    list_filter = ["theme", MonthFilter, "is_published"]
    list_editable = ["is_published", "order"]
    search_fields = ["title", "title_en", "body"]
    readonly_fields = ["preview", "preview_en", "version", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "is_published", "theme", "months", "order", "version"]}),
        (_("Nederlands"), {"fields": ["title", "summary", "body", "preview", "chat_message"]}),
        (
            _("Engels (mag leeg: dan de Nederlandse tekst)"),
            {"fields": ["title_en", "summary_en", "body_en", "preview_en", "chat_message_en"]},
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        # The slug is the tip's address; mailed links rely on it.
        return [*self.readonly_fields, "slug"] if obj else self.readonly_fields

    def changelist_view(self, request, extra_context=None):
        count = TipSubscription.objects.count()
        subtitle = ngettext(
            "%(count)d abonnee op de maandelijkse tip",
            "%(count)d abonnees op de maandelijkse tip",
            count,
        ) % {"count": count}
        return super().changelist_view(request, {"subtitle": subtitle, **(extra_context or {})})

    @admin.display(description=_("maanden"))
    def months_shown(self, tip: Tip) -> str:
        return ", ".join(str(month) for month in tip.months) or _("het hele jaar")

    @admin.display(description=_("Engels"), boolean=True)
    def has_english(self, tip: Tip) -> bool:
        return bool(tip.title_en and tip.body_en)

    @admin.display(description=_("voorbeeld"))
    def preview(self, tip: Tip):
        # render_markdown sanitises (nh3): the board's text never reaches the page unescaped.
        return format_html('<div class="tip-preview">{}</div>', render_markdown(tip.body))

    @admin.display(description=_("voorbeeld (Engels)"))
    def preview_en(self, tip: Tip):
        return format_html('<div class="tip-preview">{}</div>', render_markdown(tip.body_en))
