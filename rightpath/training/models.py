"""Training: courses of modules and lessons, question banks and quizzes, enrolments and progress,
certificates, in-person sessions with sign-ups, attendance and feedback, and trainer certification.

Long texts (course summaries, lessons) have one row per language with a translation status; short
labels (module titles, questions, choices) keep their languages in a JSON object, read with the same
fallback chain (``rightpath.knowledge.content``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightpath.core.models import BaseModel

from .vocab import (
    CONTENT_LANGUAGES,
    AttemptStatus,
    Audience,
    CourseStatus,
    EnrolmentStatus,
    FileKind,
    QuestionType,
    QuizKind,
    SessionStatus,
    SignupStatus,
    TranslationStatus,
)

USER = settings.AUTH_USER_MODEL


class Course(BaseModel):
    """A course for front-line practitioners, owned by the organisation of the trainer who built it."""

    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="training_courses"
    )
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    original_language = models.CharField(_("original language"), max_length=5, choices=CONTENT_LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=12, choices=CourseStatus.choices, default=CourseStatus.DRAFT)
    audience = models.CharField(_("published to"), max_length=14, choices=Audience.choices, default=Audience.PLATFORM)
    organisations = models.ManyToManyField(
        "accounts.Organisation", blank=True, related_name="training_courses_shared", verbose_name=_("organisations")
    )
    is_trainer_track = models.BooleanField(
        _("trainer track"), default=False, help_text=_("Completing this course makes the learner a trainer.")
    )
    certificate_valid_days = models.PositiveIntegerField(
        _("certificate valid for (days)"), null=True, blank=True, help_text=_("Leave empty for no expiry.")
    )
    # Bumped by every change to modules, lessons or quizzes: the cached course outline is keyed by it.
    structure_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("course")

    def __str__(self) -> str:
        return f"course {self.code}"


class CourseTranslation(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=CONTENT_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(
        _("translation status"), max_length=14, choices=TranslationStatus.choices, default=TranslationStatus.ORIGINAL
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "language"], name="training_course_translation")]

    def __str__(self) -> str:
        return f"{self.language} text of course {self.course_id}"


class Module(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveIntegerField(default=0)
    pillar = models.CharField(_("DRIVE pillar"), max_length=20, blank=True)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        ordering = ["course", "position", "id"]


class Lesson(BaseModel):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lessons")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["module", "position", "id"]


class LessonTranslation(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=5, choices=CONTENT_LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # The body rendered to a safe subset of HTML when saved (training.richtext): shown as is.
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(
        _("translation status"), max_length=14, choices=TranslationStatus.choices, default=TranslationStatus.ORIGINAL
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "language"], name="training_lesson_translation")]

    def __str__(self) -> str:
        return f"{self.language} text of lesson {self.lesson_id}"


class LessonFile(BaseModel):
    """An image or downloadable material of a lesson, stored outside the web root."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=10, choices=FileKind.choices)
    title = models.CharField(_("title"), max_length=200)
    stored_name = models.CharField(max_length=32, unique=True)
    content_type = models.CharField(max_length=120)
    extension = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["lesson", "created_at"]


class Question(BaseModel):
    """One item of a course's question bank."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    prompts = models.JSONField(_("question"), default=dict)
    # Shown to the learner after grading (never before submitting).
    explanations = models.JSONField(_("explanation"), default=dict, blank=True)
    points = models.PositiveIntegerField(_("points"), default=1, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["course", "id"]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(max_length=16, unique=True)
    position = models.PositiveIntegerField(default=0)
    labels = models.JSONField(default=dict)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["question", "position", "id"]

    def __str__(self) -> str:
        return f"choice {self.code}"


class Quiz(BaseModel):
    """A test built from the course's question bank: a pre-test, a post-test or a module quiz."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="quizzes")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, null=True, blank=True, related_name="quizzes")
    kind = models.CharField(_("kind"), max_length=10, choices=QuizKind.choices)
    titles = models.JSONField(_("titles"), default=dict)
    pass_mark = models.PositiveIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=3, validators=[MinValueValidator(1)])
    questions = models.ManyToManyField(Question, through="QuizQuestion", related_name="quizzes")

    class Meta:
        ordering = ["course", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "kind"],
                condition=models.Q(kind__in=["pre_test", "post_test"]),
                name="training_one_pre_and_post_test",
            )
        ]


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["quiz", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "question"], name="training_quiz_question")]

    def __str__(self) -> str:
        return f"item {self.position} of quiz {self.quiz_id}"


class Enrolment(BaseModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrolments")
    learner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="training_enrolments")
    enrolled_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    cohort = models.CharField(_("cohort"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["course", "learner"], name="training_enrolment_unique")]


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "lesson"], name="training_lesson_completion")]

    def __str__(self) -> str:
        return f"lesson {self.lesson_id} done in enrolment {self.enrolment_id}"


class Attempt(BaseModel):
    """One attempt at a quiz. Scores are computed on the server from the stored answers only."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=18, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["quiz", "enrolment", "number"]
        constraints = [models.UniqueConstraint(fields=["quiz", "enrolment", "number"], name="training_attempt_number")]


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choices = models.ManyToManyField(Choice, blank=True, related_name="+")
    text = models.TextField(blank=True)
    # Share of the question's points earned (0..1); None until a trainer grades a short answer.
    credit = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    graded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    graded_at = models.DateTimeField(null=True, blank=True)
    feedback = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question"], name="training_answer_unique")]

    def __str__(self) -> str:
        return f"answer to question {self.question_id} in attempt {self.attempt_id}"


class Certificate(BaseModel):
    """Proof of completing a course. What it says is frozen at issue; revocation keeps the record."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate")
    # The public verification code: from a cryptographic random source, unique.
    verification_code = models.CharField(max_length=64, unique=True)
    learner_name = models.CharField(max_length=300)
    course_title = models.CharField(max_length=300)
    issuer_name = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_at"]

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and self.expires_at <= timezone.now():
            return "expired"
        return "valid"


class TrainerCertification(BaseModel):
    """A person made a trainer by completing a trainer track (the cascade's "certified through")."""

    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="trainer_certifications")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="+")
    certificate = models.OneToOneField(Certificate, on_delete=models.PROTECT, related_name="trainer_certification")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "course"], name="training_trainer_certification")]


class TrainingSession(BaseModel):
    """An in-person session: date, place, trainers, capacity and the sign-ups."""

    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions")
    organiser = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    trainers = models.ManyToManyField(USER, related_name="training_sessions_delivered", verbose_name=_("trainers"))
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)

    class Meta:
        ordering = ["starts_at"]


class Signup(BaseModel):
    """One person's place on a session (or on its waiting list); ``id`` order is sign-up order."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="training_signups")
    status = models.CharField(max_length=10, choices=SignupStatus.choices)
    signed_up_at = models.DateTimeField(default=timezone.now)
    attendance_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    attendance_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="training_signup_unique")]


class Feedback(models.Model):
    """The feedback survey a participant fills in after a session (ratings 1 to 5)."""

    signup = models.OneToOneField(Signup, on_delete=models.CASCADE, related_name="feedback")
    relevance = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    trainer_quality = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    confidence = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feedback on sign-up {self.signup_id}"
