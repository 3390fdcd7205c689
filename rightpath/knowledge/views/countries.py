"""Knowledge hub views: country profiles (page and PDF) and the side-by-side comparison.

All of them show published knowledge only, to anyone: each page asks the policy for what the
reader may see (``selectors_countries`` narrows with ``visible``) and never shows a draft.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from rightpath.access.views import public

from .. import printing, selectors_countries
from ..forms_countries import CompareForm
from ..taxonomy import Pillar

PUBLIC_REASON = "published knowledge is public; the selectors show published entries only"


@public(PUBLIC_REASON)
@require_GET
def country_list(request: HttpRequest) -> HttpResponse:
    countries = selectors_countries.country_list(actor=request.user)
    return render(request, "knowledge/country_list.html", {"countries": countries, "pillars": Pillar.choices})


@public(PUBLIC_REASON)
@require_GET
def country_profile(request: HttpRequest, country: str) -> HttpResponse:
    code = selectors_countries.country_code(country)
    profile = selectors_countries.country_profile(actor=request.user, country=code, language=get_language())
    return render(request, "knowledge/country_profile.html", {"profile": profile})


@public(PUBLIC_REASON)
@require_GET
def country_pdf(request: HttpRequest, country: str) -> HttpResponse:
    code = selectors_countries.country_code(country)
    profile = selectors_countries.country_profile(actor=request.user, country=code, language=get_language())
    today = timezone.localdate()
    context = {
        "profile": profile,
        "today": today,
        "language": get_language(),
        "profile_url": request.build_absolute_uri(reverse("knowledge:country_profile", args=[code])),
    }
    pdf = printing.render_pdf("knowledge/country_pdf.html", context, request)
    return printing.pdf_response(pdf, f"rightpath-{code.lower()}-{today.isoformat()}.pdf")


@public(PUBLIC_REASON)
@require_GET
def compare(request: HttpRequest) -> HttpResponse:
    # Opened without a choice, the page only offers the form (?with=XK ticks one country, e.g. from
    # its profile); any other query is a choice, checked and explained.
    choice = request.GET.copy()
    preselected = [c.upper() for c in choice.pop("with", [])]
    form = CompareForm(choice if choice else None, initial={"c": preselected})
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = selectors_countries.country_comparison(
            actor=request.user, countries=form.cleaned_data["c"], language=get_language()
        )
    return render(request, "knowledge/compare.html", {"form": form, "comparison": comparison})


urlpatterns = [
    path("countries/", country_list, name="country_list"),
    path("countries/<str:country>/", country_profile, name="country_profile"),
    path("countries/<str:country>/pdf/", country_pdf, name="country_pdf"),
    path("compare/", compare, name="compare"),
]
