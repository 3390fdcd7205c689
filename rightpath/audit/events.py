"""Audit events as named constants, each with the text shown to a data-protection officer."""

# Event names such as "auth.password_changed" are labels, not secrets.
# ruff: noqa: S105

from django.utils.translation import gettext_lazy as _

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
LOCKED_OUT = "auth.locked_out"
MFA_ENROLLED = "auth.mfa_enrolled"
MFA_VERIFIED = "auth.mfa_verified"
MFA_FAILED = "auth.mfa_failed"
MFA_RECOVERY_USED = "auth.mfa_recovery_used"
MFA_RESET = "auth.mfa_reset"
PASSWORD_CHANGED = "auth.password_changed"
PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"
PASSWORD_RESET_DONE = "auth.password_reset_done"
ACCESS_DENIED = "access.denied"
PERSONAL_DATA_READ = "data.read"
CREATED = "data.created"
UPDATED = "data.updated"
DELETED = "data.deleted"
EXPORTED = "data.exported"
USER_INVITED = "accounts.user_invited"
INVITATION_ACCEPTED = "accounts.invitation_accepted"
USER_DEACTIVATED = "accounts.user_deactivated"
USER_REACTIVATED = "accounts.user_reactivated"
ROLES_CHANGED = "accounts.roles_changed"
API_TOKEN_CREATED = "api.token_created"
API_TOKEN_REVOKED = "api.token_revoked"
AUDIT_VERIFIED = "audit.verified"

LABELS = {
    LOGIN: _("Signed in"),
    LOGIN_FAILED: _("Failed sign-in"),
    LOGOUT: _("Signed out"),
    LOCKED_OUT: _("Account locked after repeated failed sign-ins"),
    MFA_ENROLLED: _("Second factor enrolled"),
    MFA_VERIFIED: _("Second factor verified"),
    MFA_FAILED: _("Wrong second-factor code"),
    MFA_RECOVERY_USED: _("Recovery code used"),
    MFA_RESET: _("Second factor reset"),
    PASSWORD_CHANGED: _("Password changed"),
    PASSWORD_RESET_REQUESTED: _("Password reset requested"),
    PASSWORD_RESET_DONE: _("Password reset completed"),
    ACCESS_DENIED: _("Permission denied"),
    PERSONAL_DATA_READ: _("Personal data read"),
    CREATED: _("Record created"),
    UPDATED: _("Record changed"),
    DELETED: _("Record deleted"),
    EXPORTED: _("Data exported"),
    USER_INVITED: _("User invited"),
    INVITATION_ACCEPTED: _("Invitation accepted"),
    USER_DEACTIVATED: _("User deactivated"),
    USER_REACTIVATED: _("User reactivated"),
    ROLES_CHANGED: _("Roles changed"),
    API_TOKEN_CREATED: _("API token created"),
    API_TOKEN_REVOKED: _("API token revoked"),
    AUDIT_VERIFIED: _("Audit log verified"),
}


def label(event: str) -> str:
    return str(LABELS.get(event, event))


# Case work: every disclosure to another organisation, logged against the agreement or consent that allowed it.
DISCLOSURE = "cases.disclosure"
LABELS[DISCLOSURE] = _("Information disclosed to another organisation")

# Case work: emergency (break-glass) access to a case by someone outside its team.
BREAK_GLASS = "cases.break_glass"
LABELS[BREAK_GLASS] = _("Emergency access granted")

# Training: enrolments, graded attempts, certificates, trainer certification and in-person sessions.
TRAINING_ENROLLED = "training.enrolled"
TRAINING_ATTEMPT_SUBMITTED = "training.attempt_submitted"
TRAINING_ANSWER_GRADED = "training.answer_graded"
TRAINING_COMPLETED = "training.completed"
CERTIFICATE_ISSUED = "training.certificate_issued"
CERTIFICATE_REVOKED = "training.certificate_revoked"
TRAINER_CERTIFIED = "training.trainer_certified"
SESSION_SIGNED_UP = "training.session_signed_up"
SESSION_CANCELLED_SIGNUP = "training.session_signup_cancelled"
SESSION_WAITLIST_PROMOTED = "training.session_waitlist_promoted"
SESSION_ATTENDANCE = "training.session_attendance"
SESSION_CANCELLED = "training.session_cancelled"
TRAINER_ROLE_WITHDRAWN = "training.trainer_role_withdrawn"
LABELS[TRAINING_ENROLLED] = _("Enrolled in a course")
LABELS[TRAINING_ATTEMPT_SUBMITTED] = _("Quiz attempt submitted")
LABELS[TRAINING_ANSWER_GRADED] = _("Short answer graded")
LABELS[TRAINING_COMPLETED] = _("Course completed")
LABELS[CERTIFICATE_ISSUED] = _("Certificate issued")
LABELS[CERTIFICATE_REVOKED] = _("Certificate revoked")
LABELS[TRAINER_CERTIFIED] = _("Trainer role granted through a trainer track")
LABELS[SESSION_CANCELLED] = _("In-person session cancelled")
LABELS[TRAINER_ROLE_WITHDRAWN] = _("Trainer track certificate revoked: trainer role reviewed")
LABELS[SESSION_SIGNED_UP] = _("Signed up for a training session")
LABELS[SESSION_CANCELLED_SIGNUP] = _("Training session sign-up cancelled")
LABELS[SESSION_WAITLIST_PROMOTED] = _("Moved from the waiting list to a place")
LABELS[SESSION_ATTENDANCE] = _("Attendance recorded")

# Assessments: instrument versions loaded or refused, and each step of an assessment.
INSTRUMENT_LOADED = "assessments.instrument_loaded"
LABELS[INSTRUMENT_LOADED] = _("Assessment instrument loaded")
INSTRUMENT_REFUSED = "assessments.instrument_refused"
LABELS[INSTRUMENT_REFUSED] = _("Assessment instrument file refused")
ASSESSMENT_SIGNED_OFF = "assessments.signed_off"
LABELS[ASSESSMENT_SIGNED_OFF] = _("Assessment signed off")
ASSESSMENT_ADDENDUM = "assessments.addendum"
LABELS[ASSESSMENT_ADDENDUM] = _("Addendum added to a signed-off assessment")
