"""Demo assessments on the demo cases (synthetic people), made with the demonstration instrument.

Each listed case gets a history of signed-off assessments by a member of its team who writes the
assessments section, so the change-over-time view has something to show; the latest review of one
case is close, so it appears on the assessor's "my work" page. Seeding twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rightpath.accounts.models import User
from rightpath.cases.models import Case, CaseMembership

from .models import Assessment, ConcernLevel, Instrument, ItemRating, Recommendation
from .services import instrument_load

DEMO_INSTRUMENT = Path(__file__).parent / "instruments" / "demo_needs.yaml"

# case reference, assessor username, one entry per assessment: (days ago, level, next review in days
# from the sign-off, how far the person has come: 0 = start, 2 = most needs met).
HISTORY: list[tuple[str, str, list[tuple[int, str, int, int]]]] = [
    (
        "XK-2025-0012",
        "prison.assessor",
        [(240, ConcernLevel.HIGH, 90, 0), (150, ConcernLevel.MODERATE, 90, 1), (80, ConcernLevel.MODERATE, 90, 1)],
    ),
    (
        "XK-2024-0007",
        "probation.psychologist",
        [(300, ConcernLevel.MODERATE, 120, 0), (170, ConcernLevel.LOW, 120, 2)],
    ),
]

RATIONALES = [
    "Interviews in prison and the case file show considerable needs in most domains and few protective "
    "factors yet; contact with the former network continues. The person engages with staff.",
    "Clear progress in education and family contact; needs remain around work and the former network. "
    "The person takes part in counselling and keeps to the agreed rules.",
    "Steady engagement; the family visits regularly and support outside is being arranged. Housing and "
    "work after release remain the main needs.",
]


def load_demo_instrument() -> Instrument:
    """The demonstration instrument, loaded once (loading the same file again changes nothing)."""
    return instrument_load(
        actor=None, text=DEMO_INSTRUMENT.read_text("utf-8"), filename=DEMO_INSTRUMENT.name
    ).instrument


def _value(kind: str, stage: int, index: int) -> str:
    if kind == "protective":
        return str(min(2, (index + stage) % 3 if stage else index % 2))
    return str(max(0, 2 - stage - (index % 2)))


def seed() -> tuple[int, Instrument]:
    """Load the instrument and add the demo assessments that are missing; returns how many were added."""
    instrument = load_demo_instrument()
    created = 0
    now = timezone.now()
    with transaction.atomic():
        for reference, username, history in HISTORY:
            case = Case.objects.filter(reference=reference).first()
            assessor = User.objects.filter(username=username).first()
            if case is None or assessor is None or not CaseMembership.objects.filter(case=case, user=assessor).exists():
                continue
            if Assessment.objects.filter(case=case, instrument__key=instrument.key).exists():
                continue
            for n, (days_ago, level, review_days, stage) in enumerate(history):
                signed = now - timedelta(days=days_ago)
                assessment = Assessment.objects.create(
                    case=case,
                    instrument=instrument,
                    assessor=assessor,
                    organisation=assessor.organisation,
                    status=Assessment.Status.SIGNED_OFF,
                    sources="Two structured interviews; the case file; reports of the prison officer and the "
                    "social worker; a conversation with the family (dates in the case file).",
                    level_of_concern=level,
                    rationale=RATIONALES[n % len(RATIONALES)],
                    next_review_on=(signed + timedelta(days=review_days)).date(),
                    signed_off_at=signed,
                    signed_off_by=assessor,
                )
                Assessment.objects.filter(pk=assessment.pk).update(created_at=signed - timedelta(days=3))
                ItemRating.objects.bulk_create(
                    ItemRating(
                        assessment=assessment,
                        item_key=item["key"],
                        value=_value(item["kind"], stage, i),
                        evidence="Discussed in the interview; consistent with the case file.",
                    )
                    for i, item in enumerate(instrument.items())
                )
                if n == 0:
                    Recommendation.objects.create(
                        assessment=assessment,
                        domain="education",
                        title="Enrol in a vocational or school programme",
                        description="Builds on the interest in learning rated in the assessment.",
                        created_by=assessor,
                    )
                created += 1
    return created, instrument
