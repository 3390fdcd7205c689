"""Organisation roles: what a user may do in their organisation, independent of any one case.

Case access never comes from these roles alone (it comes from case membership; see the case part's
policy). These roles decide the organisation-wide actions: running the organisation, editing the
knowledge hub, training, and data protection.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    COORDINATOR = "coordinator", _("Case coordinator")
    PRACTITIONER = "practitioner", _("Practitioner")
    ASSESSOR = "assessor", _("Assessor")
    SUPERVISOR = "supervisor", _("Supervisor")
    EDITOR = "editor", _("Knowledge editor")
    REVIEWER = "reviewer", _("Knowledge reviewer")
    TRAINER = "trainer", _("Trainer")
    DPO = "dpo", _("Data-protection officer")
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


# Roles whose holders can see personal data (case files, staff records, the audit trail of who read
# what): they must sign in with a second factor.
PERSONAL_DATA_ROLES = frozenset(
    {
        Role.ORG_ADMIN,
        Role.COORDINATOR,
        Role.PRACTITIONER,
        Role.ASSESSOR,
        Role.SUPERVISOR,
        Role.DPO,
        Role.PLATFORM_ADMIN,
    }
)

# Roles an organisation administrator may grant; the platform administrator role is granted only by
# another platform administrator.
ORG_GRANTABLE_ROLES = [r for r in Role if r != Role.PLATFORM_ADMIN]
