"""Forms for referrals, lead transfers and approvals.

They shape the input only; the rules (who, which status, reasons, the checklist, agreements) live
in the services, whose ``ValidationError`` the views put back with ``add_service_errors``. Status
changes are guarded by the service's conditional updates, so these forms carry no version.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Case, Consent
from .services.referrals import JOINING_ROLES, MESSAGE_MAX, REASON_MAX, SERVICE_MAX
from .services.transfers import CHECKLIST, NOTE_MAX, PHASES_ON_ACCEPT
from .vocab import Phase

REASON_WIDGET = forms.Textarea(attrs={"rows": 3})


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consent) -> str:
        return f"{obj.purpose} ({obj.given_on:%Y-%m-%d})"


class ReferralForm(forms.Form):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=None,
        to_field_name="code",
        help_text=_(
            "Until it accepts, the organisation sees only the service, your message, the case reference and category, and who sent it."
        ),
    )
    service = forms.CharField(label=_("Service asked for"), max_length=SERVICE_MAX)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Share only what the organisation needs to decide. Names and identity details do not belong here."),
    )

    def __init__(self, *args: Any, organisations: QuerySet, consents: QuerySet | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations
        if consents is not None:
            self.fields["consent"] = ConsentChoiceField(
                label=_("Consent the referral relies on"),
                queryset=consents,
                to_field_name="code",
                required=False,
                help_text=_("Leave empty when the case's legal basis or an information-sharing agreement covers it."),
            )


class _Answer(forms.Form):
    ACCEPT, DECLINE = "accept", "decline"

    decision = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=REASON_MAX,
        widget=REASON_WIDGET,
        help_text=_("Required when you decline."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for declining."))
        return data


class ReferralAnswerForm(_Answer):
    """Accept (optionally joining the case team, which needs an agreement) or decline with a reason."""

    def __init__(self, *args: Any, can_join: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(self.ACCEPT, _("Accept the referral")), (self.DECLINE, _("Decline it"))]
        self.fields["join_team"] = forms.BooleanField(
            label=_("Join the case team"),
            required=False,
            help_text=_("You will see the sections of the case your role and the sharing agreement allow.")
            if can_join
            else _(
                "Not possible without an active information-sharing agreement with the lead organisation: the referral would be accepted without it."
            ),
        )
        self.fields["case_role"] = forms.ChoiceField(
            label=_("Your role on the team"),
            required=False,
            choices=[("", "—")] + [(r.value, r.label) for r in JOINING_ROLES],
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.ACCEPT and data.get("join_team") and not data.get("case_role"):
            self.add_error("case_role", _("Choose the case role you take on the team."))
        return data


class TransferForm(forms.Form):
    to_organisation = forms.ModelChoiceField(label=_("Receiving organisation"), queryset=None, to_field_name="code")
    checklist = forms.MultipleChoiceField(
        label=_("Hand-over checklist"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (i.key, i.label if not i.required else _("%(item)s (required)") % {"item": i.label}) for i in CHECKLIST
        ],
        help_text=_("Every required item must be ticked before the hand-over is sent."),
    )
    note = forms.CharField(
        label=_("Hand-over note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the receiving officer needs to know first, e.g. the release date and who to contact."),
    )

    def __init__(self, *args: Any, organisations: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = organisations


class TransferAnswerForm(_Answer):
    """Take over the lead (optionally moving the case into a phase) or decline with a reason."""

    def __init__(self, *args: Any, case: Case, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [(self.ACCEPT, _("Take over the lead")), (self.DECLINE, _("Decline"))]
        current = Phase(case.phase).label if case.phase in Phase.values else case.phase
        self.fields["phase"] = forms.ChoiceField(
            label=_("Move the case into the phase"),
            required=False,
            choices=[("", _("Keep the current phase (%(phase)s)") % {"phase": current})]
            + [(p.value, p.label) for p in PHASES_ON_ACCEPT],
        )


class ApprovalDecisionForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        widget=forms.RadioSelect,
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return with a reason"))],
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=REASON_WIDGET,
        help_text=_("Required when you return the request."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for returning the request."))
        return data
