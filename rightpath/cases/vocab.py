"""Case work vocabularies: phases, categories, case roles, sections, legal bases, life domains."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    REFERRAL = "referral", _("Referral and intake")
    ASSESSMENT = "assessment", _("Assessment")
    PRISON = "prison", _("In prison")
    RELEASE = "release", _("Release preparation")
    PROBATION = "probation", _("Probation")
    COMMUNITY = "community", _("Community reintegration")
    AFTERCARE = "aftercare", _("Aftercare")
    CLOSED = "closed", _("Closed")


PHASE_ORDER = [p.value for p in Phase]


class Category(models.TextChoices):
    RETURNEE = "returnee", _("Returning foreign terrorist fighter")
    OFFENDER = "offender", _("Convicted violent extremist offender")
    FAMILY = "family", _("Family member of a fighter")
    AT_RISK = "at_risk", _("Person at risk")


class CaseRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PRISON_OFFICER = "prison_officer", _("Prison officer")
    PROBATION_OFFICER = "probation_officer", _("Probation officer")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    PSYCHOLOGIST = "psychologist", _("Psychologist")
    RELIGIOUS_COUNSELLOR = "religious_counsellor", _("Religious counsellor")
    MENTOR = "mentor", _("Mentor")
    POLICE_LIAISON = "police_liaison", _("Police liaison")
    NGO_WORKER = "ngo_worker", _("NGO worker")
    ASSESSOR = "assessor", _("Assessor")
    SUPERVISOR = "supervisor", _("Supervisor")
    BREAK_GLASS = "break_glass", _("Emergency access")


class Section(models.TextChoices):
    """The parts of a case file; the policy grants each case role read or write per section."""

    SUMMARY = "summary", _("Case summary")
    IDENTITY = "identity", _("Identity")
    ASSESSMENTS = "assessments", _("Assessments")
    PLAN_STATUS = "plan_status", _("Plan status")
    PLAN = "plan", _("Individual plan")
    SESSIONS = "sessions", _("Sessions and notes")
    REFERRALS = "referrals", _("Referrals and transfers")
    DOCUMENTS = "documents", _("Documents")
    CONFERENCES = "conferences", _("Case conferences")
    CONSENT = "consent", _("Consent")


class LegalBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("Public task")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation")
    VITAL_INTERESTS = "vital_interests", _("Vital interests")
    CONSENT = "consent", _("Consent")
    COURT_ORDER = "court_order", _("Court order or sentence")


class LifeDomain(models.TextChoices):
    HOUSING = "housing", _("Housing")
    EMPLOYMENT = "employment", _("Employment")
    EDUCATION = "education", _("Education and training")
    FAMILY = "family", _("Family")
    PHYSICAL_HEALTH = "physical_health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    DOCUMENTS = "documents", _("Identity documents")
    BELIEFS = "beliefs", _("Beliefs and ideology")
    SOCIAL_NETWORK = "social_network", _("Social network")
    RELIGION = "religion", _("Religion and spirituality")
    LEGAL = "legal", _("Legal situation")
