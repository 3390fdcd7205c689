"""Case work views: the case team. Every member sees who is on the team; the lead organisation's
coordinator adds people (from their own organisation, or from one with an active information-sharing
agreement with it), removes them (access ends at once), and reviews emergency access."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard
from rightpath.accounts.models import User
from rightpath.cases.forms_case import TEAM_ROLE_CHOICES, TeamAddForm
from rightpath.cases.models import Case
from rightpath.cases.selectors import case as selectors
from rightpath.cases.services import case as services
from rightpath.cases.vocab import Section

from . import load_case
from .cases import case_page
from .plan import audit_read


@guard("cases.case.view", load=load_case)
@require_http_methods(["GET"])
def case_team(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    can_manage = can(request.user, "cases.team.manage", case)
    query = (request.GET.get("q") or "").strip()[:100]
    candidates = selectors.team_candidates(case, query=query) if can_manage and query else []
    audit_read(request, case, Section.SUMMARY, page="team")
    context = {
        **case_page(request, case, "team"),
        **selectors.team_list(case),
        "can_manage": can_manage,
        "q": query,
        "candidates": candidates,
        "roles": TEAM_ROLE_CHOICES,
    }
    return render(request, "cases/team_list.html", context)


def _team_url(case: Case, query: str = "") -> str:
    url = reverse("cases:case_team", kwargs={"code": case.code})
    return f"{url}?{urlencode({'q': query})}" if query else url


@guard("cases.team.manage", load=load_case)
@require_POST
def team_add(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    form = TeamAddForm(request.POST)
    query = (request.POST.get("q") or "").strip()[:100]
    if not form.is_valid():
        messages.error(request, _("Choose a person from the search results and a case role."))
        return redirect(_team_url(case, query))
    user = User.objects.select_related("organisation").filter(code=form.cleaned_data["user"]).first()
    try:
        membership = services.team_member_add(case, actor=request.user, user=user, role=form.cleaned_data["role"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_team_url(case, query))
    messages.success(
        request,
        _("%(name)s joined the case team as %(role)s.")
        % {"name": membership.user, "role": membership.get_role_display()},
    )
    return redirect(_team_url(case))


@guard("cases.team.manage", load=load_case)
@require_http_methods(["GET", "POST"])
def team_remove(request: HttpRequest, code: Any, membership_id: int, obj: Case) -> HttpResponse:
    """Asks first (GET), then removes (POST)."""
    case = obj
    membership = selectors.membership_get(case, membership_id)
    if request.method == "POST":
        try:
            services.team_member_remove(membership, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(name)s was removed from the team; their access ended.") % {"name": membership.user}
            )
        return redirect(_team_url(case))
    return render(request, "cases/team_remove.html", {**case_page(request, case, "team"), "membership": membership})


@guard("cases.team.manage", load=load_case)
@require_POST
def team_review(request: HttpRequest, code: Any, membership_id: int, obj: Case) -> HttpResponse:
    case = obj
    membership = selectors.membership_get(case, membership_id)
    try:
        services.break_glass_review(membership, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The emergency access was marked as reviewed."))
    return redirect(_team_url(case))


urlpatterns = [
    path("<uuid:code>/team/", case_team, name="case_team"),
    path("<uuid:code>/team/add/", team_add, name="team_add"),
    path("<uuid:code>/team/<int:membership_id>/remove/", team_remove, name="team_remove"),
    path("<uuid:code>/team/<int:membership_id>/review/", team_review, name="team_review"),
]
