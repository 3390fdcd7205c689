"""Case work views: the user's own notifications and their e-mail preferences.

Anyone signed in has notifications (a data-protection officer is told about emergency access without
being on the case), so these pages ask only that the user is signed in and show only their own.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.views import guard
from rightpath.cases.forms_case import NotificationPreferencesForm
from rightpath.cases.selectors import case as selectors
from rightpath.cases.services import notify as services

OWN = "accounts.profile.view"


@guard(OWN)
@require_http_methods(["GET"])
def notification_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/notification_list.html", selectors.notification_list(request.user, params=request.GET)
    )


@guard(OWN)
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one notification (``notification`` in the form) or, with ``all``, every one as read."""
    if request.POST.get("all"):
        services.notification_mark_read(request.user)
        messages.success(request, _("All notifications were marked as read."))
    else:
        try:
            notification_id = int(request.POST.get("notification", ""))
        except ValueError as exc:
            raise Http404 from exc
        # Only the user's own notifications can change; another's id simply matches nothing.
        services.notification_mark_read(request.user, notification_id=notification_id)
    return redirect("cases:notification_list")


@guard(OWN)
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    form = NotificationPreferencesForm(request.POST or None, initial=selectors.notification_preferences(request.user))
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(request.user, email=form.data_for_service())
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("cases:notification_preferences")
    return render(request, "cases/notification_preferences.html", {"form": form})


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/read/", notification_read, name="notification_read"),
    path("notifications/preferences/", notification_preferences, name="notification_preferences"),
]
