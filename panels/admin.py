from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from panels.mailing import send_round_mail
from panels.models import (
    Membership,
    MembershipStatus,
    Option,
    Panel,
    PanelInvitation,
    PanelMailKind,
    Question,
    QuestionKind,
    Round,
)
from panels.tasks import send_mail_for_round


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "status", "invited_at", "requested_at", "joined_at", "left_at"]
    readonly_fields = ["invited_at", "requested_at", "joined_at", "left_at"]


@admin.register(Panel)
class PanelAdmin(admin.ModelAdmin):
    list_display = ["name", "active_members", "volunteers"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                active_count=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.ACTIVE)
                ),
                requested_count=Count(
                    "memberships", filter=Q(memberships__status=MembershipStatus.REQUESTED)
                ),
            )
        )

    @admin.display(description=_("leden"), ordering="active_count")
    def active_members(self, obj):
        return obj.active_count

    @admin.display(description=_("aanmeldingen"), ordering="requested_count")
    def volunteers(self, obj):
        return obj.requested_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "panel", "status", "requested_at", "joined_at", "left_at"]
    list_filter = ["panel", "status"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "panel"]
    actions = ["approve"]

    @admin.action(description=_("Aanmeldingen goedkeuren (lid maken)"))
    def approve(self, request, queryset):
        approved = sum(m.approve() for m in queryset.select_related("user", "panel"))
        self.message_user(
            request,
            ngettext("%(n)d aanmelding goedgekeurd.", "%(n)d aanmeldingen goedgekeurd.", approved)
            % {"n": approved},
        )


@admin.register(PanelInvitation)
class PanelInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "panel", "sent_at", "expires_at", "accepted_at"]
    list_filter = ["panel"]
    search_fields = ["email"]
    fields = ["panel", "email", "invited_by", "sent_at", "expires_at", "accepted_at", "accepted_by"]
    readonly_fields = ["invited_by", "sent_at", "expires_at", "accepted_at", "accepted_by"]
    actions = ["resend"]

    def save_model(self, request, obj, form, change):
        is_new = obj.pk is None
        if is_new:
            obj.invited_by = request.user
        super().save_model(request, obj, form, change)
        if is_new:
            obj.send()
            self.message_user(request, _("De uitnodiging is verstuurd."))

    @admin.action(description=_("Uitnodiging opnieuw versturen (nieuwe link)"))
    def resend(self, request, queryset):
        count = 0
        for invitation in queryset.filter(accepted_at__isnull=True).select_related("panel"):
            invitation.send()
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d uitnodiging verstuurd.", "%(n)d uitnodigingen verstuurd.", count)
            % {"n": count},
        )


class QuestionInlineForm(forms.ModelForm):
    """A round's question with its options as lines of text, so the board writes a choice
    question and its options in one go on the round's page. Nested inlines would need a
    library that replaces the admin's templates and scripts; one option per line needs none."""

    options_text = forms.CharField(
        label=_("Keuzes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Alleen bij één keuze of meer keuzes: één keuze per regel, in de volgorde "
            "waarin de leden ze zien."
        ),
    )

    class Meta:
        model = Question
        fields = ["order", "kind", "required", "text", "low_label", "high_label", "allow_other"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        question = self.instance
        if question.pk:
            self.initial["options_text"] = "\n".join(o.text for o in question.options.all())
            if question.round.responses.exists():
                # Answers refer to the options: from now on only on the question's own page,
                # where a corrected option keeps its answers.
                field = self.fields["options_text"]
                field.disabled = True
                if question.has_options:
                    field.help_text = _(
                        "Er zijn al antwoorden. Wijzig de keuzes via 'Wijzigen' bij deze vraag; "
                        "dan blijven de antwoorden bij hun keuze."
                    )

    def option_texts(self) -> list[str]:
        lines = self.cleaned_data.get("options_text", "").splitlines()
        return [line.strip() for line in lines if line.strip()]

    def clean(self):
        cleaned = super().clean()
        if self.fields["options_text"].disabled:
            return cleaned
        texts = self.option_texts()
        has_options = cleaned.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        if has_options and len(texts) < 2:
            self.add_error("options_text", _("Geef minstens twee keuzes, elk op een eigen regel."))
        if too_long := [t for t in texts if len(t) > Option._meta.get_field("text").max_length]:
            self.add_error(
                "options_text",
                _("Een keuze is te lang (hoogstens 200 tekens): %(text)s")
                % {"text": too_long[0][:40]},
            )
        if len(set(texts)) < len(texts):
            self.add_error("options_text", _("Twee keuzes zijn hetzelfde."))
        return cleaned


class QuestionFormSet(forms.BaseInlineFormSet):
    def save(self, commit=True):
        saved = super().save(commit)
        if commit:
            for form in self.forms:
                question = form.instance
                if (
                    question.pk
                    and form not in self.deleted_forms
                    and not form.fields["options_text"].disabled
                    and {"options_text", "kind"} & set(form.changed_data)
                    and question.has_options
                ):
                    question.set_options(form.option_texts())
        return saved


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionInlineForm
    formset = QuestionFormSet
    extra = 0
    show_change_link = True
    fields = [
        ("order", "kind", "required"),
        "text",
        "options_text",
        ("low_label", "high_label"),
        "allow_other",
    ]


class OptionInline(admin.TabularInline):
    model = Option
    extra = 3
    fields = ["order", "text"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "round", "kind", "order", "required"]
    list_filter = ["kind"]
    search_fields = ["text", "round__title"]
    inlines = [OptionInline]

    def get_inlines(self, request, obj):
        # Choices only matter for single and multiple choice questions.
        if obj is not None and obj.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return self.inlines
        return []


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "title",
            "slug",
            "panels",
            "opens_at",
            "closes_at",
            "is_anonymous",
            "introduction",
            "attachment",
            "board_response",
        ]
        widgets = {"attachment": forms.ClearableFileInput(attrs={"accept": "application/pdf"})}


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    form = RoundForm
    list_display = [
        "title",
        "opens_at",
        "closes_at",
        "is_anonymous",
        "results_published_at",
        "results_link",
    ]
    list_filter = ["panels", "is_anonymous"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["panels"]
    readonly_fields = ["results_published_at", "results_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "panels", ("opens_at", "closes_at"), "is_anonymous"]}),
        (_("Wat het bestuur voorlegt"), {"fields": ["introduction", "attachment"]}),
        (_("Resultaten"), {"fields": ["results_link", "board_response", "results_published_at"]}),
    ]
    inlines = [QuestionInline]
    actions = ["publish_results", "send_invitations"]

    @admin.display(description=_("resultaten"))
    def results_link(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("panels:results", kwargs={"slug": obj.slug}),
            _("Bekijken"),
            reverse("panels:results_csv", kwargs={"slug": obj.slug}),
            _("CSV"),
        )

    @admin.action(description=_("Resultaten publiceren en leden laten weten"))
    def publish_results(self, request, queryset):
        published = 0
        for round in queryset:
            if not round.board_response.strip():
                self.message_user(
                    request,
                    _("%(round)s: schrijf eerst de reactie van het bestuur.") % {"round": round},
                    messages.WARNING,
                )
                continue
            if round.publish_results():
                published += 1
                transaction.on_commit(lambda pk=round.pk: send_mail_for_round.enqueue(pk))
        self.message_user(
            request,
            ngettext("%(n)d ronde gepubliceerd.", "%(n)d rondes gepubliceerd.", published)
            % {"n": published},
        )

    @admin.action(description=_("Uitnodigingen voor open rondes nu versturen"))
    def send_invitations(self, request, queryset):
        count = 0
        for round in queryset:
            if round.is_open:
                count += send_round_mail(round, kinds=[PanelMailKind.INVITATION]).invitations
        self.message_user(
            request,
            ngettext("%(n)d uitnodiging verstuurd.", "%(n)d uitnodigingen verstuurd.", count)
            % {"n": count},
        )
