"""Forms for case documents and the data-protection officer's subject export.

Forms only shape the input; the checks that matter (size, type by content, the title's characters)
live in the services.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Document


class DocumentUploadForm(forms.Form):
    type = forms.ChoiceField(label=_("Type of document"), choices=Document.Type.choices)
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Optional; when left empty, the file's name is shown. Nobody else sees the file's name."),
    )
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,
        help_text=_(
            "PDF, PNG or JPEG image, Word (DOCX), OpenDocument text (ODT) or plain text; at most 10 MB. The file "
            "is stored encrypted and can only be downloaded by the case team members allowed to see documents."
        ),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The service decides what is empty or too large, with its own messages.
        self.fields["file"].required = False


class SubjectSearchForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"),
        max_length=32,
        help_text=_("The pseudonymous reference of a case your organisation leads, e.g. XK-2025-0012."),
    )
