"""Knowledge hub records: practices, policies, institutions, figures and frameworks (one ``Entry``
table with a kind), their translations, sources and versions; and publications (protocols, models
and recommendations) as versioned documents with sections."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rightpath.accounts.models import Country
from rightpath.core.models import BaseModel

from .taxonomy import (
    CONTENT_LANGUAGES,
    EntryKind,
    EvidenceLevel,
    ImplementationStatus,
    Pillar,
    PolicyStatus,
    PolicyType,
    PublicationType,
    Stage,
    Status,
    TargetGroup,
    TranslationStatus,
)


class Entry(BaseModel):
    """One record of the hub. Language-neutral fields live here; text lives in ``EntryTranslation``."""

    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    original_language = models.CharField(_("original language"), max_length=10, choices=CONTENT_LANGUAGES, default="en")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Municipality, region, entity or canton.")
    )
    organisation_name = models.CharField(_("organisation"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    # practice
    period_start = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("end year"), null=True, blank=True)
    stage = models.CharField(_("criminal-justice stage"), max_length=20, choices=Stage.choices, blank=True)
    evidence_level = models.CharField(
        _("evidence rating"), max_length=20, choices=EvidenceLevel.choices, blank=True, db_index=True
    )
    evidence_basis = models.TextField(
        _("basis of the rating"),
        blank=True,
        help_text=_("Which evaluations: design, independence, sample, follow-up, outcome and direction."),
    )
    independent_evaluation = models.BooleanField(_("independently evaluated"), default=False)
    evaluated_in_region = models.BooleanField(_("evaluated in the Western Balkans"), default=False)
    peer_reviewed = models.BooleanField(_("peer-reviewed practice"), default=False)
    rated_by = models.CharField(_("rated by"), max_length=300, blank=True)
    rated_on = models.DateField(_("rated on"), null=True, blank=True)
    # policy
    policy_type = models.CharField(_("policy type"), max_length=20, choices=PolicyType.choices, blank=True)
    adopting_body = models.CharField(_("adopting body"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    policy_status = models.CharField(_("policy status"), max_length=20, choices=PolicyStatus.choices, blank=True)
    implementation_status = models.CharField(
        _("implementation"), max_length=20, choices=ImplementationStatus.choices, blank=True
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    # figure
    value = models.CharField(
        _("value"), max_length=200, blank=True, help_text=_("The number or short figure, e.g. “110”.")
    )
    as_of = models.PositiveSmallIntegerField(_("as of (year)"), null=True, blank=True)
    # bookkeeping
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        t = self.translations.all()[:1]
        return t[0].title if t else str(self.code)


class EntryTranslation(models.Model):
    """The text of an entry in one language, with how it came to be (original, translated…)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=CONTENT_LANGUAGES)
    status = models.CharField(
        _("translation status"), max_length=20, choices=TranslationStatus.choices, default=TranslationStatus.ORIGINAL
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    approach = models.TextField(_("approach"), blank=True)
    actors = models.TextField(_("actors and institutions"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    evaluation = models.TextField(_("evaluation and evidence"), blank=True)
    sustainability = models.TextField(_("sustainability and transferability"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "language"], name="entry_translation_unique")]
        verbose_name = _("translation")

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


TRANSLATED_FIELDS = [
    "title",
    "summary",
    "description",
    "approach",
    "actors",
    "deliverables",
    "resources",
    "evaluation",
    "sustainability",
]


class EntryCountry(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "country"], name="entry_country_unique")]

    def __str__(self) -> str:
        return self.country


class EntryPillar(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="pillars")
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "pillar"], name="entry_pillar_unique")]

    def __str__(self) -> str:
        return self.pillar


class EntryTargetGroup(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=20, choices=TargetGroup.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "group"], name="entry_target_group_unique")]

    def __str__(self) -> str:
        return self.group


class Source(models.Model):
    """Where a fact comes from: shown beside the entry."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("address"), max_length=1000)
    accessed_on = models.DateField(_("accessed on"), null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title or self.url


class EntryVersion(models.Model):
    """A snapshot of an entry after each change: who, when, what (a readable diff is computed)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    note = models.CharField(_("change note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="entry_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number}"


class Publication(BaseModel):
    """A DRIVE-type publication (protocol, model, recommendation): a versioned document with sections."""

    type = models.CharField(_("type"), max_length=20, choices=PublicationType.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    original_language = models.CharField(_("original language"), max_length=10, choices=CONTENT_LANGUAGES, default="en")
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=300, default="RightPath")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    published_version = models.PositiveIntegerField(_("published version"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("publication")

    def __str__(self) -> str:
        return str(self.code)


class PublicationPillar(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="pillars")
    pillar = models.CharField(_("pillar"), max_length=20, choices=Pillar.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["publication", "pillar"], name="publication_pillar_unique")]

    def __str__(self) -> str:
        return self.pillar


class PublicationVersion(models.Model):
    """A frozen version of a publication: its title and sections in every language it has."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="{language: {title, summary, sections: [{heading, body}], status}}")
    note = models.CharField(_("change note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # When a reviewer published this version; readers open only versions that were published once
    # (drafts saved between two publications stay with the editors).
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="publication_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number}"


class SearchDocument(models.Model):
    """The normalised text of one published entry or publication in one language.

    ``terms`` holds the output of ``knowledge.search.normalise`` (lower-cased, lemmatised, Latin
    script, no diacritics), indexed by PostgreSQL full-text search or SQLite FTS5: the same tokens
    on both databases, so both give the same answers.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, null=True, blank=True, related_name="search_documents")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, null=True, blank=True, related_name="search_documents"
    )
    kind = models.CharField(max_length=20, db_index=True)
    language = models.CharField(max_length=10)
    title = models.CharField(max_length=300)
    title_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "language"], name="search_entry_language_unique"),
            models.UniqueConstraint(fields=["publication", "language"], name="search_publication_language_unique"),
        ]

    def __str__(self) -> str:
        return self.title
