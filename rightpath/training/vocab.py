"""Training vocabularies: course status and audience, quiz kinds, question types, sign-up states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Languages a course can be written in (the interface languages; Serbian is stored once as "sr").
CONTENT_LANGUAGES = [
    ("en", _("English")),
    ("sq", _("Albanian")),
    ("bs", _("Bosnian")),
    ("hr", _("Croatian")),
    ("mk", _("Macedonian")),
    ("sr", _("Serbian")),
]


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Audience(models.TextChoices):
    PLATFORM = "platform", _("Everyone on the platform")
    ORGANISATIONS = "organisations", _("Chosen organisations")


class TranslationStatus(models.TextChoices):
    ORIGINAL = "original", _("Original")
    TRANSLATED = "translated", _("Translated")
    MACHINE = "machine", _("Machine-translated")
    NEEDS_REVIEW = "needs_review", _("Needs review")


class QuizKind(models.TextChoices):
    PRE_TEST = "pre_test", _("Pre-test")
    POST_TEST = "post_test", _("Post-test")
    MODULE = "module", _("Module quiz")


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    SHORT = "short", _("Short answer (graded by a trainer)")


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Waiting for a trainer to grade")
    GRADED = "graded", _("Graded")


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SignupStatus(models.TextChoices):
    """A sign-up's state. Booked and waitlisted are before the session; the attendance states after."""

    BOOKED = "booked", _("Booked")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended in full")
    PARTLY = "partly", _("Attended in part")
    NO_SHOW = "no_show", _("Did not attend")


ATTENDANCE_STATES = (SignupStatus.ATTENDED, SignupStatus.PARTLY, SignupStatus.NO_SHOW)
# Sign-up transitions the platform allows (anything else is refused).
SIGNUP_TRANSITIONS = {
    SignupStatus.WAITLISTED: {SignupStatus.BOOKED, SignupStatus.CANCELLED},
    SignupStatus.BOOKED: {SignupStatus.CANCELLED, *ATTENDANCE_STATES},
    SignupStatus.ATTENDED: set(ATTENDANCE_STATES),
    SignupStatus.PARTLY: set(ATTENDANCE_STATES),
    SignupStatus.NO_SHOW: set(ATTENDANCE_STATES),
    SignupStatus.CANCELLED: set(),
}


class FileKind(models.TextChoices):
    IMAGE = "image", _("Image shown in the lesson")
    MATERIAL = "material", _("Downloadable material")
