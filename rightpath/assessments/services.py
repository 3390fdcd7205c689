"""Writes for assessments: loading instruments, the assessment from start to sign-off, addenda,
recommendations that become plan goals, and who sees which parts.

Every service asks the policy first (outside the transaction, so a denial's audit entry stays),
then validates, saves and audits in one transaction. Edits use optimistic locking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.accounts.models import Organisation, User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, PlanGoal
from rightpath.cases.policy import SectionRef
from rightpath.cases.services.plan import plan_goal_create
from rightpath.cases.vocab import CaseRole, LifeDomain, Section
from rightpath.core.concurrency import ConcurrentEditError, save_versioned

from .instruments import InstrumentError, InstrumentFileError, read_definition
from .models import (
    Addendum,
    Assessment,
    AssessmentVisibility,
    ConcernLevel,
    Instrument,
    ItemRating,
    Parts,
    Recommendation,
)

S = Section.ASSESSMENTS
ASSESSMENT_FIELDS = ["sources", "level_of_concern", "rationale", "next_review_on"]


def require(actor: User, action: str, obj: Any) -> None:
    """Refuse (and audit the refusal) unless the policy allows ``action``; before any transaction."""
    decision = can(actor, action, obj)
    if not decision:
        target = obj.case if isinstance(obj, SectionRef) else obj
        record(events.ACCESS_DENIED, actor=actor, target=target, data={"action": action, "reason": decision.reason})
        raise PermissionDenied(decision.reason)


# --- instruments ---------------------------------------------------------------------------------


@dataclass
class LoadResult:
    instrument: Instrument
    created: bool


def instrument_load(*, actor: User | None, text: str, filename: str = "") -> LoadResult:
    """Validate an instrument file and store it as a new, immutable instrument version.

    ``actor`` is None when an operator loads it from the command line. The same file loaded twice
    is accepted once (the second time changes nothing); a different file with a version already
    loaded is refused, because a version never changes once assessments may use it.
    """
    if actor is not None:
        require(actor, "assessments.instrument.load", None)
    try:
        definition, sha = read_definition(text, filename)
    except InstrumentFileError as exc:
        record(
            events.INSTRUMENT_REFUSED,
            actor=actor,
            data={"file": filename[:200], "errors": [str(e) for e in exc.errors[:20]]},
        )
        raise
    with transaction.atomic():
        existing = Instrument.objects.filter(key=definition["key"], version_label=definition["version"]).first()
        if existing is not None:
            if existing.sha256 == sha:
                return LoadResult(existing, False)
            error = InstrumentError(
                None,
                "version",
                _(
                    "version %(version)s of %(key)s is already loaded with different content; versions never "
                    "change once loaded, so give this definition a new version."
                )
                % {"version": definition["version"], "key": definition["key"]},
            )
            raise InstrumentFileError([error])
        instrument = Instrument.objects.create(
            key=definition["key"],
            version_label=definition["version"],
            kind=definition["kind"],
            is_demonstration=bool(definition["demonstration"]),
            definition=definition,
            sha256=sha,
            loaded_by=actor,
        )
        record(
            events.INSTRUMENT_LOADED,
            actor=actor,
            target=instrument,
            data={"key": instrument.key, "version": instrument.version_label, "file": filename[:200]},
        )
        return LoadResult(instrument, True)


# --- the assessment ------------------------------------------------------------------------------


def assessment_start(case: Case, *, actor: User, instrument: Instrument) -> Assessment:
    """Start a draft assessment of the case on one instrument version."""
    require(actor, "assessments.assessment.start", SectionRef(case, S))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            case=case, instrument=instrument, assessor=actor, organisation=actor.organisation
        )
        record(
            events.CREATED,
            actor=actor,
            target=assessment,
            data={"case": str(case.code), "section": S, "instrument": str(instrument)},
        )
        return assessment


def _clean_ratings(assessment: Assessment, ratings: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    scales = assessment.instrument.definition["scales"]
    errors: dict[str, str] = {}
    clean: dict[str, tuple[str, str]] = {}
    for item in assessment.instrument.items():
        value, evidence = ratings.get(item["key"], ("", ""))
        allowed = {o["value"] for o in scales[item["scale"]]["options"]}
        if value and value not in allowed:
            errors[f"rating_{item['key']}"] = _("Choose a rating from the instrument's scale.")
        clean[item["key"]] = (value or "", (evidence or "").strip())
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_judgement(level: str, next_review_on: date | None) -> None:
    errors: dict[str, str] = {}
    if level and level not in ConcernLevel.values:
        errors["level_of_concern"] = _("Choose a level of concern from the list.")
    if next_review_on is not None and next_review_on <= timezone.localdate():
        errors["next_review_on"] = _("The next review must be on a date in the future.")
    if errors:
        raise ValidationError(errors)


def assessment_update(
    assessment: Assessment,
    *,
    actor: User,
    expected_version: int,
    sources: str,
    ratings: dict[str, tuple[str, str]],
    level_of_concern: str,
    rationale: str,
    next_review_on: date | None,
) -> Assessment:
    """Save the draft: sources, each item's rating and evidence, the summary judgement and the next
    review date. Raises ``ConcurrentEditError`` if someone saved the draft since it was read."""
    require(actor, "assessments.assessment.edit", assessment)
    with transaction.atomic():
        clean = _clean_ratings(assessment, ratings)
        _clean_judgement(level_of_concern, next_review_on)
        new = {
            "sources": (sources or "").strip(),
            "level_of_concern": level_of_concern or "",
            "rationale": (rationale or "").strip(),
            "next_review_on": next_review_on,
        }
        changed = [k for k in ASSESSMENT_FIELDS if getattr(assessment, k) != new[k]]
        for k, v in new.items():
            setattr(assessment, k, v)
        # The version moves on every save, ratings included, so two editors of one draft never
        # overwrite each other's ratings either.
        save_versioned(assessment, expected_version, changed)
        existing = {r.item_key: r for r in assessment.ratings.all()}
        changed_items = []
        for key, (value, evidence) in clean.items():
            row = existing.get(key)
            if row is None:
                if value or evidence:
                    ItemRating.objects.create(assessment=assessment, item_key=key, value=value, evidence=evidence)
                    changed_items.append(key)
            elif (row.value, row.evidence) != (value, evidence):
                row.value, row.evidence = value, evidence
                row.save(update_fields=["value", "evidence"])
                changed_items.append(key)
        record(
            events.UPDATED,
            actor=actor,
            target=assessment,
            data={"case": str(assessment.case.code), "section": S, "fields": changed, "items": changed_items},
        )
        return assessment


def assessment_sign_off(assessment: Assessment, *, actor: User, expected_version: int) -> Assessment:
    """Sign the assessment off: it needs sources, a rating for every item, a level of concern, a
    written rationale and a future review date. Afterwards it is locked; corrections are addenda."""
    require(actor, "assessments.assessment.sign_off", assessment)
    with transaction.atomic():
        current = Assessment.objects.get(pk=assessment.pk)
        # Sign off only what the assessor saw: a draft saved by someone else since is a conflict.
        if current.version != expected_version:
            raise ConcurrentEditError(current)
        errors: dict[str, str] = {}
        if not assessment.sources.strip():
            errors["sources"] = _("Name the sources of information the assessment draws on.")
        rated = {r.item_key for r in assessment.ratings.all() if r.value}
        missing = [item["key"] for item in assessment.instrument.items() if item["key"] not in rated]
        if missing:
            errors["ratings"] = _("Rate every item before signing off; not rated yet: %(items)s.") % {
                "items": ", ".join(missing)
            }
        if not assessment.level_of_concern:
            errors["level_of_concern"] = _("Choose the level of concern.")
        if not assessment.rationale.strip():
            errors["rationale"] = _("Write the rationale for your judgement; it is required to sign off.")
        if assessment.next_review_on is None:
            errors["next_review_on"] = _("Enter the date of the next review.")
        elif assessment.next_review_on <= timezone.localdate():
            errors["next_review_on"] = _("The next review must be on a date in the future.")
        if errors:
            raise ValidationError(errors)
        assessment.status = Assessment.Status.SIGNED_OFF
        assessment.signed_off_at = timezone.now()
        assessment.signed_off_by = actor
        save_versioned(assessment, expected_version, ["status", "signed_off_at", "signed_off_by"])
        record(
            events.ASSESSMENT_SIGNED_OFF,
            actor=actor,
            target=assessment,
            data={"case": str(assessment.case.code), "section": S},
        )
        return assessment


def addendum_add(assessment: Assessment, *, actor: User, text: str) -> Addendum:
    """Add a dated correction or addition to a signed-off assessment."""
    require(actor, "assessments.addendum.add", assessment)
    with transaction.atomic():
        if not (text or "").strip():
            raise ValidationError({"text": _("Write the correction or addition.")})
        addendum = Addendum.objects.create(assessment=assessment, text=text.strip(), written_by=actor)
        record(
            events.ASSESSMENT_ADDENDUM,
            actor=actor,
            target=assessment,
            data={"case": str(assessment.case.code), "section": S, "addendum": str(addendum.code)},
        )
        return addendum


def recommendation_add(
    assessment: Assessment, *, actor: User, domain: str, title: str, description: str = ""
) -> Recommendation:
    """Add a recommendation for the plan to a draft assessment."""
    require(actor, "assessments.assessment.edit", assessment)
    with transaction.atomic():
        errors: dict[str, str] = {}
        if domain not in LifeDomain.values:
            errors["domain"] = _("Choose a life domain from the list.")
        if not (title or "").strip():
            errors["title"] = _("Write the recommendation in a few words.")
        if errors:
            raise ValidationError(errors)
        recommendation = Recommendation.objects.create(
            assessment=assessment, domain=domain, title=title.strip(), description=description.strip(), created_by=actor
        )
        record(
            events.CREATED,
            actor=actor,
            target=recommendation,
            data={"case": str(assessment.case.code), "section": S, "assessment": str(assessment.code)},
        )
        return recommendation


def recommendation_to_goal(recommendation: Recommendation, *, actor: User) -> PlanGoal:
    """Turn a recommendation into a goal of the case's plan, in its life domain, in one step.

    Needs the whole assessment and write on the plan (the plan's own service checks the latter).
    """
    assessment = recommendation.assessment
    require(actor, "assessments.assessment.read", assessment)
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if locked.plan_goal_id is not None:
            raise ValidationError(_("This recommendation is already a goal of the plan."))
        goal = plan_goal_create(
            assessment.case,
            actor=actor,
            domain=locked.domain,
            title=locked.title,
            description=locked.description,
        )
        Recommendation.objects.filter(pk=locked.pk).update(plan_goal=goal, updated_at=timezone.now())
        recommendation.plan_goal = goal
        record(
            events.UPDATED,
            actor=actor,
            target=recommendation,
            data={"case": str(assessment.case.code), "section": S, "fields": ["plan_goal"], "goal": str(goal.code)},
        )
        return goal


# --- who sees which parts ------------------------------------------------------------------------


def visibility_set(
    organisation: Organisation, *, actor: User, case_role: str, parts: str, expected_version: int | None
) -> AssessmentVisibility:
    """Choose which parts of assessments ``case_role`` sees on the cases ``organisation`` leads.

    ``expected_version`` is the row's version as the form showed it (0 when there was no row yet, so
    a row someone else created meanwhile is a concurrent edit too).
    """
    require(actor, "assessments.visibility.manage", organisation)
    if actor.organisation_id != organisation.pk:
        raise PermissionDenied("another organisation")
    with transaction.atomic():
        if case_role not in CaseRole.values or parts not in Parts.values:
            raise ValidationError(_("Choose a case role and what it sees from the lists."))
        row = AssessmentVisibility.objects.filter(organisation=organisation, case_role=case_role).first()
        if row is None:
            row = AssessmentVisibility.objects.create(
                organisation=organisation, case_role=case_role, parts=parts, updated_by=actor
            )
        else:
            row.parts, row.updated_by = parts, actor
            save_versioned(row, expected_version or 0, ["parts", "updated_by"])
        actor.__dict__.pop("_assessment_parts_cache", None)
        record(
            events.UPDATED,
            actor=actor,
            target=row,
            data={"section": S, "case_role": case_role, "parts": parts},
        )
        return row
