"""Forms for the plan, sessions, case conferences and consent.

Forms only shape the input; the rules (dates, ranges, who may be named, minors' consent) live in the
services, whose ``ValidationError`` the views put back beside the fields with ``add_service_errors``.
Edit forms carry the record's ``version`` hidden, for optimistic locking.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Conference, Consent, PlanAction, PlanGoal, PlanReview, Session
from .vocab import LifeDomain

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
VERSION = {"widget": forms.HiddenInput, "required": False}


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors beside the fields they name; anything else goes above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


CONFLICT_MESSAGE = _(
    "Someone else saved this record while you were editing it. Their version is shown below; check it, then save again to keep yours."
)


class VersionedForm(forms.ModelForm):
    """A model form that never touches an instance: it validates into a blank one and the service
    applies the cleaned data, so the record loaded for the check stays as the database had it."""

    version = forms.IntegerField(**VERSION)

    def data_for_service(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}

    def take_version(self, current: Any) -> None:
        """After a conflict: carry the other person's version, so saving again keeps this one."""
        self.data = self.data.copy()
        self.data["version"] = current.version


# --- plan ----------------------------------------------------------------------------------------


class PlanGoalForm(VersionedForm):
    class Meta:
        model = PlanGoal
        fields = ["domain", "title", "description", "strengths", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "strengths": forms.Textarea(attrs={"rows": 3})}


class PlanActionForm(VersionedForm):
    class Meta:
        model = PlanAction
        fields = ["description", "responsible_organisation", "due_date", "status"]
        widgets = {"due_date": DATE}

    def __init__(self, *args: Any, organisations: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = organisations
        self.fields["due_date"].required = True


class PlanReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["summary", "next_review_on"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "next_review_on": DATE}


# --- sessions ------------------------------------------------------------------------------------


class SessionForm(VersionedForm):
    class Meta:
        model = Session
        fields = ["type", "provider", "held_on", "duration_minutes", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "notes": _("Stored encrypted. Every reading of the notes is recorded in the audit log."),
            "duration_minutes": _("Between 1 and 600 minutes."),
        }

    def __init__(self, *args: Any, providers: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].label_from_instance = lambda u: u.get_full_name() or u.username
        # A plain number field: the service gives the clear message for 0 or more than 600.
        self.fields["duration_minutes"] = forms.IntegerField(
            label=self.fields["duration_minutes"].label, help_text=self.fields["duration_minutes"].help_text
        )


# --- case conferences ----------------------------------------------------------------------------


class ConferenceForm(VersionedForm):
    class Meta:
        model = Conference
        fields = ["held_on", "place", "chair", "participants", "other_participants", "decisions"]
        widgets = {
            "held_on": DATE,
            "participants": forms.CheckboxSelectMultiple,
            "other_participants": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, members: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("chair", "participants"):
            self.fields[name].queryset = members
            self.fields[name].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["chair"].required = True
        self.fields["decisions"].required = True


class ActionItemForm(forms.Form):
    """One action item agreed at the conference; it becomes a plan action under the chosen goal, or
    under a new goal of the chosen life domain."""

    description = forms.CharField(label=_("Action item"), max_length=500)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    domain = forms.ChoiceField(
        label=_("…or a new goal in the life domain"), required=False, choices=[("", "—"), *LifeDomain.choices]
    )
    responsible_organisation = forms.ModelChoiceField(label=_("Responsible organisation"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, goals: list[tuple[str, str]], organisations: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = [("", "—"), *goals]
        self.fields["responsible_organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("goal") and not data.get("domain"):
            raise ValidationError(_("Choose an existing goal or the life domain of a new goal."), code="target")
        if data.get("goal") and data.get("domain"):
            raise ValidationError(_("Choose either an existing goal or a life domain, not both."), code="target")
        return data


class BaseActionItemFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, goals: list[tuple[str, str]], organisations: QuerySet, **kwargs: Any):
        self._row_kwargs = {"goals": goals, "organisations": organisations}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), **self._row_kwargs}

    def filled(self) -> list[ActionItemForm]:
        """The rows the user filled in (untouched empty rows are ignored)."""
        return [f for f in self.forms if f.has_changed() and f.is_valid()]

    def items(self) -> list[dict[str, Any]]:
        return [dict(f.cleaned_data) for f in self.filled()]

    def add_service_errors(self, exc: ValidationError) -> bool:
        """Errors keyed ``item_<n>_<field>`` go beside that field of the n-th filled row."""
        if not hasattr(exc, "error_dict"):
            return False
        rows = self.filled()
        placed = False
        for key, errors in exc.error_dict.items():
            if not key.startswith("item_"):
                continue
            index, _sep, field = key[5:].partition("_")
            if index.isdigit() and int(index) < len(rows):
                row = rows[int(index)]
                row.add_error(field if field in row.fields else None, errors)
                placed = True
        return placed


ActionItemFormSet = forms.formset_factory(ActionItemForm, formset=BaseActionItemFormSet, extra=3, max_num=20)


# --- consent -------------------------------------------------------------------------------------


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "scope", "given_by", "guardian_name", "given_on"]
        widgets = {
            "given_by": forms.RadioSelect,
            "scope": forms.Textarea(attrs={"rows": 3}),
            "guardian_name": forms.TextInput,
            "given_on": DATE,
        }
        help_texts = {
            "guardian_name": _(
                "Required for a minor and whenever a parent or guardian gives consent. Stored encrypted."
            ),
            "scope": _("What the consent covers: which data, shared with whom. Note the child's own view for a minor."),
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].choices = Consent.GivenBy.choices


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DATE)
    version = forms.IntegerField(**VERSION)
