"""Signing in, the second factor, the user's own account, and organisation administration."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from rightpath.access.policy import can
from rightpath.access.views import guard, public
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import ConcurrentEditError

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    EnrolForm,
    InvitationForm,
    LanguageForm,
    OrganisationForm,
    RolesForm,
    SignInForm,
    TokenForm,
)
from .models import Organisation, User


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


# --- signing in and out ---------------------------------------------------------------------------


@method_decorator(public("signing in"), name="dispatch")
class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)  # logs in and rotates the session key
        return _set_language_cookie(response, self.request.user.language)


sign_in = SignInView.as_view()


def lockout(request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes after too many failed sign-ins; says nothing of whether the account exists."""
    record(events.LOCKED_OUT, request=request, data={"username": str((credentials or {}).get("username", ""))[:150]})
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


sign_out = public("ends the caller's own session")(
    auth_views.LogoutView.as_view(template_name="accounts/logged_out.html")
)


# --- second factor -----------------------------------------------------------------------------------


@guard("accounts.profile.view")
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (rendered here, never by a third party), confirm."""
    if services.totp_device(request.user) is not None and not request.user.is_verified():
        return redirect("accounts:mfa_verify")
    device = services.mfa_begin_enrolment(request.user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.mfa_confirm_enrolment(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            request.session.cycle_key()
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": True})
        form.add_error("code", _("That code is not right. Check the time on your phone and try the newest code."))
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#111", light="#fff", title=_("QR code for your authenticator app")
    )
    secret = _b32(device.bin_key)
    return render(request, "accounts/mfa_setup.html", {"form": form, "qr_svg": qr, "secret": secret})


def _b32(raw: bytes) -> str:
    import base64

    text = base64.b32encode(raw).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@guard("accounts.profile.view")
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the app or a recovery code."""
    if request.user.is_verified():
        return redirect(_safe_next(request, reverse("core:home")))
    if services.totp_device(request.user) is None:
        return redirect("accounts:mfa_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            request.session.cycle_key()
            left = services.remaining_recovery_codes(request.user)
            if left <= 3:
                messages.warning(
                    request,
                    _("You have %(count)s recovery codes left. Create new ones on your account page.")
                    % {"count": left},
                )
            return redirect(_safe_next(request, reverse("core:home")))
        form.add_error("code", _("That code is not right. Try the newest code from your app."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _safe_next(request, "")})


@guard("accounts.profile.view")
@require_POST
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("accounts:mfa_verify")
    codes = services.recovery_codes_regenerate(request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "first_time": False})


# --- own account --------------------------------------------------------------------------------------


@guard("accounts.profile.view")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.user_set_language(request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Your language was saved."))
        return _set_language_cookie(redirect("accounts:profile"), form.cleaned_data["language"])
    context = {
        "form": form,
        "device": services.totp_device(request.user),
        "recovery_left": services.remaining_recovery_codes(request.user),
        "roles": selectors.role_labels(request.user),
    }
    return render(request, "accounts/profile.html", context)


password_change = guard("accounts.profile.view")(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
    )
)
password_change_done = guard("accounts.profile.view")(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)

password_reset = public("requesting a reset link answers the same for any address")(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset.html",
        email_template_name="accounts/email/password_reset.txt",
        subject_template_name="accounts/email/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = public("confirmation page")(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public("the signed link in the e-mail is the credential")(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public("confirmation page")(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)


@public("the secret token in the invitation e-mail is the credential")
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = AcceptInvitationForm(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                invitation, username=form.cleaned_data["username"], password=form.cleaned_data["new_password1"]
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("Your account is ready. Sign in with your new username and password."))
            return redirect("accounts:login")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


def _attach_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- organisations -------------------------------------------------------------------------------------


def _load_org(request: HttpRequest, code: str) -> Organisation:
    return get_object_or_404(Organisation, code=code)


def _load_user(request: HttpRequest, code: str) -> User:
    return get_object_or_404(User.objects.select_related("organisation"), code=code, is_service_account=False)


@guard("accounts.organisation.list")
def organisation_list(request: HttpRequest) -> HttpResponse:
    page = selectors.organisation_list(actor=request.user, params=request.GET)
    return render(
        request,
        "accounts/organisation_list.html",
        {**page, "can_create": can(request.user, "accounts.organisation.create")},
    )


@guard("accounts.organisation.create")
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            org = services.organisation_create(actor=request.user, **data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("Organisation “%(name)s” was registered.") % {"name": org.name})
            return redirect("accounts:organisation_users", code=org.code)
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


@guard("accounts.organisation.change", load=_load_org)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, code: str, obj: Organisation) -> HttpResponse:
    # The form validates its own copy, so the service can compare the old and new values.
    form = OrganisationForm(
        request.POST or None, instance=Organisation.objects.get(pk=obj.pk), initial={"version": obj.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.organisation_update(
                obj, actor=request.user, expected_version=form.cleaned_data["version"] or 0, **data
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this organisation while you were editing. Their version is shown below; check it, then save again to keep yours."
                ),
            )
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("accounts:organisation_users", code=obj.code)
    return render(request, "accounts/organisation_form.html", {"form": form, "organisation": obj, "conflict": conflict})


@guard("accounts.user.list", load=_load_org)
def organisation_users(request: HttpRequest, code: str, obj: Organisation) -> HttpResponse:
    page = selectors.user_list(actor=request.user, organisation=obj, params=request.GET)
    record(events.PERSONAL_DATA_READ, actor=request.user, target=obj, data={"view": "staff list"})
    return render(
        request,
        "accounts/organisation_users.html",
        {
            **page,
            "organisation": obj,
            "can_edit": can(request.user, "accounts.organisation.change", obj),
            "invitations": selectors.open_invitations(organisation=obj),
        },
    )


@guard("accounts.user.invite", load=_load_org)
@require_http_methods(["GET", "POST"])
def user_invite(request: HttpRequest, code: str, obj: Organisation) -> HttpResponse:
    form = InvitationForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(actor=request.user, organisation=obj, **form.cleaned_data)
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("An invitation was sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:organisation_users", code=obj.code)
    return render(request, "accounts/user_invite.html", {"form": form, "organisation": obj})


@guard("accounts.user.view", load=_load_user)
def user_detail(request: HttpRequest, code: str, obj: User) -> HttpResponse:
    record(events.PERSONAL_DATA_READ, actor=request.user, target=obj, data={"view": "user detail"})
    context = {
        "person": obj,
        "roles": selectors.role_labels(obj),
        "has_mfa": services.totp_device(obj) is not None,
        "can_deactivate": can(request.user, "accounts.user.deactivate", obj),
        "can_change_roles": can(request.user, "accounts.user.change_roles", obj),
        "can_reset_mfa": can(request.user, "accounts.user.reset_mfa", obj),
    }
    return render(request, "accounts/user_detail.html", context)


@guard("accounts.user.deactivate", load=_load_user)
@require_http_methods(["GET", "POST"])
def user_toggle_active(request: HttpRequest, code: str, obj: User) -> HttpResponse:
    """Asks first (GET), then deactivates or reactivates (POST)."""
    activate = not obj.is_active
    if request.method == "POST":
        services.user_set_active(obj, actor=request.user, active=activate)
        if activate:
            messages.success(request, _("%(name)s can sign in again.") % {"name": obj})
        else:
            messages.success(request, _("%(name)s was deactivated and can no longer sign in.") % {"name": obj})
        return redirect("accounts:user_detail", code=obj.code)
    return render(request, "accounts/user_confirm_active.html", {"person": obj, "activate": activate})


@guard("accounts.user.change_roles", load=_load_user)
@require_http_methods(["GET", "POST"])
def user_roles(request: HttpRequest, code: str, obj: User) -> HttpResponse:
    form = RolesForm(request.POST or None, actor=request.user, initial={"roles": sorted(obj.role_set)})
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_roles(obj, actor=request.user, roles=form.cleaned_data["roles"])
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("The roles were saved."))
            return redirect("accounts:user_detail", code=obj.code)
    return render(request, "accounts/user_roles.html", {"form": form, "person": obj})


@guard("accounts.user.reset_mfa", load=_load_user)
@require_http_methods(["GET", "POST"])
def user_reset_mfa(request: HttpRequest, code: str, obj: User) -> HttpResponse:
    if request.method == "POST":
        services.mfa_reset(obj, actor=request.user)
        messages.success(
            request,
            _("The second factor of %(name)s was removed. They will enrol a new one at their next sign-in.")
            % {"name": obj},
        )
        return redirect("accounts:user_detail", code=obj.code)
    return render(request, "accounts/user_confirm_reset_mfa.html", {"person": obj})
