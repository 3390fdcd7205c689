"""The audit log: append-only entries, each with its own keyed MAC, chained later by seals.

Neither table is ever updated or deleted from (PostgreSQL refuses it with a trigger). See
docs/architecture.md, "Audit log", for why rows are MACed at insert and chained by a sealer.
"""

import uuid

from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import events


class AuditEntry(models.Model):
    """One audited event. References are plain values, not foreign keys, so entries outlive rows."""

    id = models.BigAutoField(primary_key=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor name"), max_length=150, blank=True)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True, db_index=True)
    target_type = models.CharField(_("object type"), max_length=100, blank=True)
    target_id = models.CharField(_("object"), max_length=64, blank=True, db_index=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    key_id = models.CharField(max_length=32)
    mac = models.CharField(max_length=64)
    # When the database inserted the row, by the database's clock: the sealer compares it with the
    # start of the oldest open transaction (not part of the MAC; ``created_at`` is the event's time).
    inserted_at = models.DateTimeField(db_default=Now(), editable=False)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"#{self.pk} {self.event}"

    @property
    def event_label(self) -> str:
        return events.label(self.event)


class AuditSeal(models.Model):
    """Chains a range of entries: HMAC over the previous seal's MAC and the range's entry MACs."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(default=timezone.now)
    first_entry_id = models.BigIntegerField()
    last_entry_id = models.BigIntegerField(unique=True)
    entry_count = models.PositiveIntegerField()
    previous_mac = models.CharField(max_length=64)
    key_id = models.CharField(max_length=32)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"seal #{self.pk} (#{self.first_entry_id}–#{self.last_entry_id})"
