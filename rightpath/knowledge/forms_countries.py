"""The country comparison's form: two to six different countries, chosen with check boxes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from rightpath.accounts.models import Country

from .selectors_countries import MAX_COMPARED, MIN_COMPARED


class CompareForm(forms.Form):
    """``?c=XK&c=BA…``: the countries to put side by side (codes in any case, in the order given)."""

    c = forms.MultipleChoiceField(
        label=_("Countries to compare"),
        choices=Country.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose between two and six countries."),
        error_messages={
            "required": _("Choose between two and six countries."),
            "invalid_choice": _("“%(value)s” is not a country code we know."),
        },
    )

    def __init__(self, data: object = None, initial: dict[str, object] | None = None) -> None:
        if data is not None and hasattr(data, "getlist"):
            # Codes are accepted in any case (?c=xk) and each counts once, whatever the URL says.
            data = data.copy()
            data.setlist("c", list(dict.fromkeys(v.strip().upper() for v in data.getlist("c") if v.strip())))
        super().__init__(data, initial=initial)

    def clean_c(self) -> list[str]:
        codes: list[str] = self.cleaned_data["c"]
        if len(codes) < MIN_COMPARED:
            raise forms.ValidationError(_("Choose at least two different countries to compare."))
        if len(codes) > MAX_COMPARED:
            raise forms.ValidationError(
                ngettext(
                    "You chose %(count)d countries; compare at most %(max)d at a time.",
                    "You chose %(count)d countries; compare at most %(max)d at a time.",
                    len(codes),
                )
                % {"count": len(codes), "max": MAX_COMPARED}
            )
        return codes
