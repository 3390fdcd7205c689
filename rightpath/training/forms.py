"""Forms for training pages. They parse and check input; the services decide and save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Country, Organisation, User
from rightpath.knowledge.taxonomy import Pillar

from .vocab import CONTENT_LANGUAGES, Audience, CourseStatus, FileKind, QuestionType, QuizKind, TranslationStatus

# The languages a text can be written in on the editing pages: the interface languages (Serbian in
# either script is stored once).
INTERFACE_LANGUAGES = list(settings.LANGUAGES)


class CourseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    original_language = forms.ChoiceField(label=_("Language of this text"), choices=CONTENT_LANGUAGES)
    status = forms.ChoiceField(label=_("Status"), choices=CourseStatus.choices)
    audience = forms.ChoiceField(label=_("Published to"), choices=Audience.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when the course is published to chosen organisations."),
    )
    is_trainer_track = forms.BooleanField(
        label=_("Trainer track: completing it makes the learner a trainer"), required=False
    )
    certificate_valid_days = forms.IntegerField(
        label=_("Certificate valid for (days)"), required=False, min_value=1, help_text=_("Leave empty for no expiry.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("audience") == Audience.ORGANISATIONS and not data.get("organisations"):
            self.add_error("organisations", _("Choose at least one organisation, or publish to the whole platform."))
        return data


class CourseTranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea, required=False)
    status = forms.ChoiceField(label=_("Translation status"), choices=TranslationStatus.choices)


class ModuleForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)
    title = forms.CharField(label=_("Module title"), max_length=200)
    pillar = forms.ChoiceField(label=_("DRIVE pillar"), choices=[("", "—"), *Pillar.choices], required=False)


class LessonForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Lesson title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text=_(
            "Blank line: new paragraph. ## Heading. - bulleted item. 1. numbered item. **bold**, *italic*. "
            "[link text](https://…). ![description](image:code) shows an uploaded image."
        ),
    )
    status = forms.ChoiceField(label=_("Translation status"), choices=TranslationStatus.choices)


class LessonEditForm(LessonForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ModuleEditForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    title = forms.CharField(label=_("Module title"), max_length=200)
    pillar = forms.ChoiceField(label=_("DRIVE pillar"), choices=[("", "—"), *Pillar.choices], required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class LessonFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FileKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"), help_text=_("Images: PNG or JPEG. Materials: PDF, DOCX, ODT, TXT, PNG or JPEG.")
    )


class QuestionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)
    type = forms.ChoiceField(label=_("Type"), choices=QuestionType.choices)
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_(
            "One choice per line; start the right answers with an asterisk (*). Leave empty for a short answer."
        ),
    )
    explanation = forms.CharField(
        label=_("Explanation shown after grading"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100, initial=1)

    def parsed_choices(self) -> list[tuple[dict[str, str], bool]]:
        lang = self.cleaned_data["language"]
        out = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            text = line.strip()
            if not text:
                continue
            right = text.startswith("*")
            out.append(({lang: text.lstrip("*").strip()}, right))
        return out


class QuestionEditForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One choice per line; start the right answers with an asterisk (*)."),
    )
    explanation = forms.CharField(
        label=_("Explanation shown after grading"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    points = forms.IntegerField(label=_("Points"), min_value=1, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def parsed_choices(self) -> list[tuple[str, bool]]:
        out = []
        for line in (self.cleaned_data.get("choices") or "").splitlines():
            text = line.strip()
            if text:
                out.append((text.lstrip("*").strip(), text.startswith("*")))
        return out


class QuestionTranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=INTERFACE_LANGUAGES)
    prompt = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    choices = forms.CharField(
        label=_("Choices"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("One line for each choice, in the order shown above."),
    )
    explanation = forms.CharField(
        label=_("Explanation shown after grading"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class QuizForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=QuizKind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=CONTENT_LANGUAGES)
    title = forms.CharField(label=_("Title"), max_length=200)
    module = forms.ChoiceField(label=_("Module (module quizzes only)"), required=False)
    questions = forms.MultipleChoiceField(label=_("Questions from the bank"), widget=forms.CheckboxSelectMultiple)
    pass_mark = forms.IntegerField(label=_("Pass mark (%)"), min_value=0, max_value=100, initial=70)
    max_attempts = forms.IntegerField(label=_("Attempts allowed"), min_value=1, max_value=20, initial=3)

    def __init__(self, *args: Any, modules: list[tuple[str, str]], questions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [("", "—"), *modules]
        self.fields["questions"].choices = questions


class EnrolOthersForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("People"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    cohort = forms.CharField(label=_("Cohort"), max_length=100, required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class GradeForm(forms.Form):
    credit = forms.TypedChoiceField(
        label=_("Points earned"),
        choices=[("0", _("None")), ("0.5", _("Half")), ("1", _("All"))],
        coerce=str,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback to the learner"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept on record, not shown publicly)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    course = forms.ChoiceField(label=_("Course"), required=False)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=1000)
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, courses: list[tuple[str, str]], trainers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", "—"), *courses]
        self.fields["trainers"].queryset = trainers


class SessionEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        max_value=1000,
        help_text=_("More places are given to the waiting list in sign-up order."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the session cancelled? (kept on record)"), widget=forms.Textarea(attrs={"rows": 3})
    )


RATING = [(str(i), str(i)) for i in range(1, 6)]


class FeedbackForm(forms.Form):
    relevance = forms.TypedChoiceField(
        label=_("How relevant was the session to your work? (1 = not at all, 5 = very)"),
        choices=RATING,
        coerce=int,
        widget=forms.RadioSelect,
    )
    trainer_quality = forms.TypedChoiceField(
        label=_("How clear and helpful were the trainers? (1 = not at all, 5 = very)"),
        choices=RATING,
        coerce=int,
        widget=forms.RadioSelect,
    )
    confidence = forms.TypedChoiceField(
        label=_("How confident do you feel applying what you learned? (1 = not at all, 5 = very)"),
        choices=RATING,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Anything else?"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


def add_service_errors(form: forms.Form, error: Any) -> None:
    """Show a service's ValidationError on the form (field errors on their fields when they exist)."""
    if hasattr(error, "error_dict"):
        for name, errs in error.error_dict.items():
            target = name if name in form.fields else None
            for e in errs:
                form.add_error(target, e.messages[0] if hasattr(e, "messages") else str(e))
    else:
        for message in error.messages:
            form.add_error(None, message)
