"""Case work URLs: each view module owns its own patterns."""

from .views import (
    approvals,
    cases,
    conferences,
    consent,
    documents,
    export,
    mywork,
    notifications,
    plan,
    referrals,
    sessions,
    team,
    transfers,
)

app_name = "cases"
urlpatterns = [
    *mywork.urlpatterns,
    *notifications.urlpatterns,
    *cases.urlpatterns,
    *team.urlpatterns,
    *plan.urlpatterns,
    *sessions.urlpatterns,
    *conferences.urlpatterns,
    *consent.urlpatterns,
    *referrals.urlpatterns,
    *transfers.urlpatterns,
    *approvals.urlpatterns,
    *documents.urlpatterns,
    *export.urlpatterns,
]
