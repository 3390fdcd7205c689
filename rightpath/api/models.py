"""API tokens: one per system integration, owned by an organisation's service account."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rightpath.core.models import BaseModel


class ApiToken(BaseModel):
    """A bearer token for a service account. Only a hash of the secret is stored.

    The token string is ``<prefix>.<secret>``; the prefix finds the row, the secret is compared
    by its SHA-256 hash in constant time.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
