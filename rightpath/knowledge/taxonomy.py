"""The hub's vocabularies: DRIVE's six pillars, target groups, evidence levels, stages."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.TextChoices):
    """The six pillars along which DRIVE compared countries."""

    COORDINATION = "coordination", _("Inter-institutional coordination")
    RISK_ASSESSMENT = "risk_assessment", _("Risk assessment tools")
    PRISON = "prison", _("Prison-based DRR")
    PROBATION = "probation", _("Probation-based DRR")
    REINTEGRATION = "reintegration", _("Reintegration measures")
    VULNERABLE = "vulnerable", _("Vulnerable categories")


# The wording used in data files (seed_records.csv) for each pillar.
PILLAR_ALIASES = {
    "inter-institutional coordination": Pillar.COORDINATION,
    "risk assessment tools": Pillar.RISK_ASSESSMENT,
    "prison-based drr": Pillar.PRISON,
    "probation-based drr": Pillar.PROBATION,
    "reintegration measures": Pillar.REINTEGRATION,
    "vulnerable categories": Pillar.VULNERABLE,
}


class TargetGroup(models.TextChoices):
    RETURNEES = "returnees", _("Returning foreign terrorist fighters")
    OFFENDERS = "offenders", _("Convicted violent extremist offenders")
    WOMEN = "women", _("Women")
    MINORS = "minors", _("Minors")
    FAMILIES = "families", _("Families of fighters and returnees")
    AT_RISK = "at_risk", _("People at risk of radicalisation")
    PRACTITIONERS = "practitioners", _("First-line practitioners")
    COMMUNITIES = "communities", _("Local communities")
    POLICY_MAKERS = "policy_makers", _("Policy-makers")


class EntryKind(models.TextChoices):
    PRACTICE = "practice", _("Practice")
    POLICY = "policy", _("Policy")
    INSTITUTION = "institution", _("Institution")
    FIGURE = "figure", _("Figure")
    FRAMEWORK = "framework", _("Framework")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class EvidenceLevel(models.TextChoices):
    """RightPath's evidence scale for practices (see docs and shared evidence notes)."""

    EFFECTIVE = "effective", _("Effective")
    PROMISING = "promising", _("Promising")
    EMERGING = "emerging", _("Emerging")
    DOCUMENTED = "documented", _("Documented")
    INCONCLUSIVE = "inconclusive", _("Inconclusive")
    NO_EFFECT = "no_effect", _("No effect or harmful")


EVIDENCE_MEANING = {
    EvidenceLevel.EFFECTIVE: _(
        "Two or more rigorous comparison-group evaluations (or a meta-analysis) show a reliable positive outcome sustained for at least 12 months; no harm found."
    ),
    EvidenceLevel.PROMISING: _(
        "At least one comparison-group evaluation, or several consistent pre/post studies with validated measures, are positive; the intervention is clearly specified; no harm."
    ),
    EvidenceLevel.EMERGING: _(
        "No comparison group, but a process evaluation, monitoring against a theory of change, or an independent expert review shows positive results."
    ),
    EvidenceLevel.DOCUMENTED: _("Well described, not evaluated."),
    EvidenceLevel.INCONCLUSIVE: _("Evaluated, but the evidence is too weak or mixed to say."),
    EvidenceLevel.NO_EFFECT: _("Rigorous evidence of no effect or of harm: kept visible, with a warning."),
}


class Stage(models.TextChoices):
    """Criminal-justice stage a practice works at (matches the case phases)."""

    PRE_TRIAL = "pre_trial", _("Pre-trial")
    CUSTODY = "custody", _("Custody")
    RELEASE = "release", _("Release preparation")
    PROBATION = "probation", _("Probation")
    POST_SENTENCE = "post_sentence", _("Post-sentence")
    RECEPTION = "reception", _("Returnee reception")


class PolicyType(models.TextChoices):
    LAW = "law", _("Law")
    STRATEGY = "strategy", _("Strategy")
    ACTION_PLAN = "action_plan", _("Action plan")
    PROTOCOL = "protocol", _("Protocol")
    SOP = "sop", _("Standard operating procedure")


class PolicyStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    DRAFT = "draft", _("Draft")


class ImplementationStatus(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTED = "implemented", _("Implemented")
    EVALUATED = "evaluated", _("Evaluated")


class TranslationStatus(models.TextChoices):
    ORIGINAL = "original", _("Original")
    TRANSLATED = "translated", _("Translated")
    MACHINE = "machine", _("Machine-translated")
    NEEDS_REVIEW = "needs_review", _("Needs review")


class PublicationType(models.TextChoices):
    """The DRIVE publication types."""

    PROTOCOL = "protocol", _("Protocol")
    MODEL = "model", _("Model")
    RECOMMENDATION = "recommendation", _("Recommendation")


# Content languages (the interface languages; Serbian is one language in two scripts).
CONTENT_LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("bs", "Bosanski"),
    ("hr", "Hrvatski"),
    ("mk", "Македонски"),
    ("sr", "Српски / Srpski"),
]
