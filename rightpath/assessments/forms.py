"""Forms for assessments. They only shape the input; the rules live in the services.

Edit forms carry the record's ``version`` hidden, for optimistic locking. The judgement fields are
never filled in from counts or scores: the level of concern starts empty on a new assessment.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rightpath.cases.forms_plan import DATE, VERSION, add_service_errors  # noqa: F401 (re-exported)
from rightpath.cases.vocab import LifeDomain

from .models import ConcernLevel, Instrument, Parts

CONFLICT_MESSAGE = _(
    "Someone else saved this assessment while you were editing it. Their version is shown below; check it, then save again to keep yours."
)


class StartForm(forms.Form):
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=Instrument.objects.none(), empty_label=None)

    def __init__(self, *args: Any, instruments: list[Instrument], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = Instrument.objects.filter(pk__in=[i.pk for i in instruments])
        self.fields["instrument"].label_from_instance = lambda i: (
            f"{i.name} · {i.version_label} · {i.get_kind_display()}"
        )
        self.fields["instrument"].widget = forms.RadioSelect(choices=self.fields["instrument"].choices)


class AssessmentForm(forms.Form):
    """Sources, one rating and evidence note per item of the instrument, the summary judgement and
    the next review date."""

    version = forms.IntegerField(**VERSION)
    sources = forms.CharField(
        label=_("Sources of information"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Interviews, records, reports and observations the assessment draws on, with their dates."),
    )
    level_of_concern = forms.ChoiceField(
        label=_("Level of concern"),
        required=False,
        choices=[("", _("Not decided yet")), *ConcernLevel.choices],
        widget=forms.RadioSelect,
        help_text=_("Your professional judgement; nothing on this page decides it for you."),
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Why you reach this judgement, in your own words. Required to sign off."),
    )
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)

    def __init__(self, *args: Any, outline: list[dict[str, Any]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.outline = outline
        for domain in outline:
            for item in domain["items"]:
                key = item["key"]
                self.fields[f"rating_{key}"] = forms.ChoiceField(
                    label=_("Rating"),
                    required=False,
                    choices=[("", _("Not rated yet")), *[(o["value"], o["label"]) for o in item["options"]]],
                )
                self.fields[f"evidence_{key}"] = forms.CharField(
                    label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )

    def ratings(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            item["key"]: (data.get(f"rating_{item['key']}", ""), data.get(f"evidence_{item['key']}", ""))
            for domain in self.outline
            for item in domain["items"]
        }

    def rows(self) -> list[dict[str, Any]]:
        """The outline with each item's two bound fields, for the template."""
        out = []
        for domain in self.outline:
            items = [
                {**item, "rating": self[f"rating_{item['key']}"], "evidence": self[f"evidence_{item['key']}"]}
                for item in domain["items"]
            ]
            out.append({**domain, "items": items})
        return out

    def take_version(self, current: Any) -> None:
        self.data = self.data.copy()
        self.data["version"] = current.version


class SignOffForm(forms.Form):
    version = forms.IntegerField(**VERSION)


class RecommendationForm(forms.Form):
    domain = forms.ChoiceField(label=_("Life domain"), choices=[("", "—"), *LifeDomain.choices])
    title = forms.CharField(label=_("Recommendation"), max_length=300)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correction or addition"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The signed-off assessment stays as it was; this addendum is shown below it with today's date."),
    )


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Instrument definition file"),
        help_text=_("A YAML (.yaml, .yml) or JSON (.json) file in the RightPath instrument format, at most 1 MB."),
    )


class VisibilityForm(forms.Form):
    version = forms.IntegerField(**VERSION)
    parts = forms.ChoiceField(label=_("Sees"), choices=Parts.choices, widget=forms.RadioSelect)

    def take_version(self, current: Any) -> None:
        self.data = self.data.copy()
        self.data["version"] = current.version
