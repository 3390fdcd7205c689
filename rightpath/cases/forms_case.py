"""Forms for opening a case, its identity record, phase moves, the case team, emergency access and
notification preferences.

Forms only shape the input; the rules (best-interests note for a minor, legal basis under the
law-enforcement regime, receiving organisation before release, who may join the team) live in
``services/case.py``, whose ``ValidationError`` the views put back beside the fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Organisation

from .forms_plan import DATE, VERSION
from .models import Case, Identity, Notification
from .vocab import CaseRole, Category, LegalBasis, Phase

IDENTITY_FIELDS = ["given_names", "family_name", "birth_date", "identity_numbers", "addresses"]

LEGAL_BASIS_HELP = _(
    "The lawful basis for processing this person's data. In prison and probation consent is rarely "
    "freely given, so the basis is usually a public task, a legal obligation or a court order; "
    "consent cannot be the basis when your organisation works under the law-enforcement regime."
)


class IdentityFieldsMixin(forms.Form):
    """The identity fields, shared by the opening form and the identity edit form."""

    given_names = forms.CharField(label=_("Given names"), max_length=200)
    family_name = forms.CharField(label=_("Family name"), max_length=200)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DATE)
    identity_numbers = forms.CharField(
        label=_("Identity numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Personal number, passport or identity card numbers, one a line."),
    )
    addresses = forms.CharField(
        label=_("Addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Current and previous addresses, one a line."),
    )


class CaseOpenForm(IdentityFieldsMixin):
    """Open a case from a referral or intake: the case facts, then the person's identity."""

    category = forms.ChoiceField(label=_("Category"), choices=[("", "—"), *Category.choices])
    is_woman = forms.BooleanField(label=_("The person is a woman"), required=False)
    is_minor = forms.BooleanField(label=_("The person is a minor"), required=False)
    best_interests_note = forms.CharField(
        label=_("Best-interests note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a minor: how the child's best interests are served."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), choices=[("", "—"), *LegalBasis.choices], help_text=LEGAL_BASIS_HELP
    )
    legal_basis_note = forms.CharField(
        label=_("Legal basis reference"),
        required=False,
        max_length=300,
        help_text=_("Article of the law, court decision or agreement."),
    )
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person, or a new case for the same person is needed"),
        required=False,
    )

    field_order = [
        "category",
        "is_woman",
        "is_minor",
        "best_interests_note",
        "legal_basis",
        "legal_basis_note",
        *IDENTITY_FIELDS,
        "confirm_duplicate",
    ]

    def __init__(self, *args: Any, duplicate_warning: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not duplicate_warning:
            # The confirmation is asked for only once a possible duplicate was found.
            self.fields["confirm_duplicate"].widget = forms.HiddenInput()

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class IdentityForm(IdentityFieldsMixin):
    """Change the identity record; carries its version for optimistic locking."""

    version = forms.IntegerField(**VERSION)

    @staticmethod
    def initial_for(identity: Identity) -> dict[str, Any]:
        return {
            "given_names": identity.given_names,
            "family_name": identity.family_name,
            "birth_date": getattr(identity, "birth_date_value", None) or identity.birth_date or None,
            "identity_numbers": identity.identity_numbers,
            "addresses": identity.addresses,
            "version": identity.version,
        }

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def take_version(self, current: Any) -> None:
        """After a conflict: carry the other person's version, so saving again keeps this one."""
        self.data = self.data.copy()
        self.data["version"] = current.version


class PhaseForm(forms.Form):
    """Move the case to another phase, with the reason; release preparation names the receiving organisation."""

    to_phase = forms.ChoiceField(label=_("New phase"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    receiving_organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Required to start release preparation: the organisation that will take the case over."),
    )
    version = forms.IntegerField(**VERSION)

    def __init__(self, *args: Any, case: Case, organisations: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to_phase"].choices = [("", "—")] + [(p.value, p.label) for p in Phase if p.value != case.phase]
        self.fields["receiving_organisation"].queryset = organisations

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


TEAM_ROLE_CHOICES = [(r.value, r.label) for r in CaseRole if r != CaseRole.BREAK_GLASS]


class TeamAddForm(forms.Form):
    """Add one user, found by the search, to the case team in a case role."""

    user = forms.UUIDField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Case role"), choices=[("", "—"), *TEAM_ROLE_CHOICES])


class BreakGlassForm(forms.Form):
    """Ask for emergency access to a case you are not on, by its exact reference, with a justification."""

    reference = forms.CharField(
        label=_("Case reference"),
        max_length=32,
        help_text=_("The exact reference, for example XK-2026-0042."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why you need access now and cannot wait for the case coordinator. The coordinator and the "
            "data-protection officer are told, and your access is reviewed."
        ),
    )


class NotificationPreferencesForm(forms.Form):
    """Per kind of notification, whether an e-mail copy is sent (notifications always show in the app)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for kind, label in Notification.Kind.choices:
            self.fields[kind] = forms.BooleanField(label=label, required=False)

    def data_for_service(self) -> dict[str, bool]:
        return {kind: bool(self.cleaned_data.get(kind)) for kind in Notification.Kind.values}
