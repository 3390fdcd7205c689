"""Reads for assessments. The views and the API ask the policy about the case first; these selectors
then load only what that answer allows, with the related rows chosen so pages make a fixed number
of queries."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.accounts.roles import Role
from rightpath.cases.models import Case
from rightpath.cases.policy import GRANTS, RW
from rightpath.cases.selectors.mywork import REVIEW_HORIZON_DAYS, capped, cases_granting, link
from rightpath.cases.vocab import Section

from .instruments import translated
from .models import Assessment, AssessmentVisibility, Instrument, ItemRating, Recommendation

S = Section.ASSESSMENTS


# --- instruments ---------------------------------------------------------------------------------


def instrument_list(*, actor: Any) -> QuerySet[Instrument]:
    """Every loaded instrument version the actor may see, newest version of each key first."""
    return (
        visible(actor, "assessments.instrument.view", Instrument.objects.all())
        .select_related("loaded_by")
        .order_by("key", "-loaded_at")
    )


def instrument_get(*, actor: Any, code: Any) -> Instrument:
    instrument = instrument_list(actor=actor).filter(code=code).first()
    if instrument is None:
        raise Http404
    return instrument


def startable_instruments(*, actor: Any) -> list[Instrument]:
    """The newest version of each instrument, for starting an assessment."""
    newest: dict[str, Instrument] = {}
    for instrument in instrument_list(actor=actor):
        newest.setdefault(instrument.key, instrument)
    return list(newest.values())


def instrument_outline(instrument: Instrument) -> list[dict[str, Any]]:
    """Domains and items with their texts in the active language and their scale's options."""
    scales = instrument.definition["scales"]
    out = []
    for domain in instrument.definition["domains"]:
        items = []
        for item in domain["items"]:
            options = [
                {
                    "value": o["value"],
                    "label": translated(o["label"]),
                    "present": o["present"],
                    "score": o["score"],
                    "off_scale": o.get("off_scale", False),
                }
                for o in scales[item["scale"]]["options"]
            ]
            items.append(
                {
                    "key": item["key"],
                    "kind": item["kind"],
                    "name": translated(item["name"]),
                    "guidance": translated(item.get("guidance")),
                    "options": options,
                }
            )
        out.append(
            {
                "key": domain["key"],
                "name": translated(domain["name"]),
                "life_domain": domain["life_domain"],
                "items": items,
            }
        )
    return out


# --- assessments ---------------------------------------------------------------------------------


def assessment_list(case: Case) -> list[Assessment]:
    """The case's assessments, newest first (the caller has checked what the actor may see)."""
    return list(
        Assessment.objects.filter(case=case)
        .select_related("instrument", "assessor", "organisation")
        .order_by("-created_at")
    )


def assessment_get(case: Case, code: Any) -> Assessment:
    """One assessment of the case with the assessor and instrument (404 if not of this case)."""
    assessment = (
        Assessment.objects.filter(case=case, code=code)
        .select_related("instrument", "assessor", "signed_off_by", "organisation", "case__lead_organisation")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def assessment_full(assessment: Assessment) -> dict[str, Any]:
    """Everything a reader of the whole assessment sees: per domain each item's rating and
    evidence, the counts (information only), the screening result of a rule-based instrument,
    recommendations and addenda. Three queries whatever the number of items."""
    ratings = {r.item_key: r for r in ItemRating.objects.filter(assessment=assessment)}
    recommendations = list(
        Recommendation.objects.filter(assessment=assessment).select_related("plan_goal").order_by("created_at")
    )
    addenda = list(assessment.addenda.select_related("written_by").order_by("written_at"))
    domains = instrument_outline(assessment.instrument)
    counts: Counter[str] = Counter()
    score_total, scored = 0, True
    for domain in domains:
        for item in domain["items"]:
            rating = ratings.get(item["key"])
            item["value"] = rating.value if rating else ""
            item["evidence"] = rating.evidence if rating else ""
            chosen = next((o for o in item["options"] if o["value"] == item["value"]), None)
            item["value_label"] = chosen["label"] if chosen else ""
            if chosen and chosen["present"]:
                counts[item["kind"]] += 1
            if chosen and chosen["score"] is not None:
                score_total += chosen["score"]
            elif chosen is None or not chosen["off_scale"]:
                scored = False
    result: dict[str, Any] = {
        "domains": domains,
        "counts": {"risk": counts["risk"], "protective": counts["protective"], "need": counts["need"]},
        "recommendations": recommendations,
        "addenda": addenda,
        "screening": None,
    }
    if not assessment.instrument.is_spj:
        result["screening"] = screening_result(assessment.instrument, score_total, complete=scored)
    return result


def screening_result(instrument: Instrument, total: int, *, complete: bool) -> dict[str, Any]:
    """A rule-based instrument's result: the band its rules give for the total of the scores."""
    bands = instrument.definition.get("screening", {}).get("bands", [])
    band = None
    for candidate in bands:
        if total >= candidate["from"]:
            band = candidate
    return {"total": total, "band": translated(band["label"]) if band else "", "complete": complete}


# --- change over time ----------------------------------------------------------------------------


def change_over_time(case: Case, instrument_key: str | None = None) -> dict[str, Any]:
    """Each domain and item across the case's successive signed-off assessments on one instrument
    (all its versions), oldest first. Items are matched by key; an item a version lacks stays empty.

    A rating's position on the chart is its option's place on the item's scale (0 = first option),
    so the chart shows movement along the scale, not a score.
    """
    signed = list(
        Assessment.objects.filter(case=case, status=Assessment.Status.SIGNED_OFF)
        .select_related("instrument")
        .prefetch_related(Prefetch("ratings", queryset=ItemRating.objects.only("assessment_id", "item_key", "value")))
        .order_by("signed_off_at")
    )
    keys = sorted({a.instrument.key for a in signed})
    key = instrument_key if instrument_key in keys else (keys[-1] if keys else None)
    series = [a for a in signed if a.instrument.key == key]
    if not series:
        return {"instrument_keys": keys, "key": key, "assessments": [], "domains": []}
    newest = series[-1].instrument
    domains = []
    for domain in instrument_outline(newest):
        items = []
        for item in domain["items"]:
            points = []
            for a in series:
                scale = _scale_of(a.instrument, item["key"])
                value = next((r.value for r in a.ratings.all() if r.item_key == item["key"]), "")
                chosen = next((o for o in scale if o["value"] == value), None)
                # Answers outside the scale ("not enough information") have no place on the chart.
                on_scale = [o["value"] for o in scale if not o.get("off_scale")]
                position = on_scale.index(value) if value in on_scale else None
                label = translated(chosen["label"]) if chosen else ""
                points.append({"assessment": a, "position": position, "label": label, "steps": len(on_scale)})
            items.append({**item, "points": points, "chart": chart(points)})
        domains.append({**domain, "items": items})
    return {"instrument_keys": keys, "key": key, "assessments": series, "domains": domains, "instrument": newest}


def _scale_of(instrument: Instrument, item_key: str) -> list[dict[str, Any]]:
    for item in instrument.items():
        if item["key"] == item_key:
            return instrument.definition["scales"][item["scale"]]["options"]
    return []


CHART_W, CHART_H, PAD = 320, 90, 14


def chart(points: list[dict[str, Any]]) -> dict[str, Any]:
    """Coordinates of a small line chart (server-rendered SVG) of one item over time."""
    steps = max((p["steps"] for p in points), default=2)
    n = len(points)
    coords = []
    for i, p in enumerate(points):
        x = PAD + (CHART_W - 2 * PAD) * (i / (n - 1) if n > 1 else 0.5)
        if p["position"] is None:
            coords.append(None)
            continue
        y = CHART_H - PAD - (CHART_H - 2 * PAD) * (p["position"] / max(steps - 1, 1))
        coords.append({"x": round(x, 1), "y": round(y, 1), "label": p["label"]})
    line = " ".join(f"{c['x']},{c['y']}" for c in coords if c)
    gridlines = [round(CHART_H - PAD - (CHART_H - 2 * PAD) * (s / max(steps - 1, 1)), 1) for s in range(steps)]
    return {"width": CHART_W, "height": CHART_H, "points": [c for c in coords if c], "line": line, "grid": gridlines}


# --- my work -------------------------------------------------------------------------------------


def _latest_signed_review() -> Subquery:
    return Subquery(
        Assessment.objects.filter(case=OuterRef("pk"), status=Assessment.Status.SIGNED_OFF)
        .order_by("-signed_off_at", "-pk")
        .values("next_review_on")[:1]
    )


def assessments_due_cases(actor: Any) -> QuerySet[Case] | None:
    """The actor's cases whose latest signed-off assessment is due for review within 14 days or
    overdue, on cases where they write assessments, soonest first; ``None`` for a user without the
    assessor role (who start assessments)."""
    if not actor.has_role(Role.ASSESSOR):
        return None
    today = timezone.localdate()
    readers_only = tuple(role for role, grants in GRANTS.items() if grants.get(S) != RW)
    drafts = Assessment.objects.filter(case=OuterRef("pk"), status=Assessment.Status.DRAFT)
    return (
        cases_granting(actor, S, excluding_roles=readers_only)
        .annotate(assessment_due_on=_latest_signed_review(), has_draft=Exists(drafts))
        .filter(assessment_due_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS))
        .order_by("assessment_due_on", "reference", "pk")
        .only("code", "reference", "phase", "is_minor")
    )


def with_due_links(rows: list[Case]) -> list[Case]:
    """Give each due case its overdue flag and the URL of its assessments (one ``reverse`` in all)."""
    today = timezone.localdate()
    to = link("assessments:case")
    for case in rows:
        case.assessment_overdue = case.assessment_due_on < today
        case.url = to(case.code)
    return rows


def assessments_due(*, actor: Any) -> dict[str, Any]:
    """The first ``LIMIT`` cases of ``assessments_due_cases`` and their total, for "my work". One
    query for the agreements and one for the rows and total, whatever the number of cases."""
    cases = assessments_due_cases(actor)
    if cases is None:
        return {"shown": False, "items": [], "total": 0, "more": False}
    rows, total = capped(cases)
    return {"shown": True, "items": with_due_links(rows), "total": total, "more": total > len(rows)}


def visibility_row(organisation: Any, case_role: str) -> AssessmentVisibility | None:
    """The organisation's own choice for ``case_role``, if it made one."""
    return AssessmentVisibility.objects.filter(organisation=organisation, case_role=case_role).first()
