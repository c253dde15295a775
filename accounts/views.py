"""The account pages: sign up, log in with "remember me", settings, export and delete.

Password change and reset are Django's own views with our templates (see urls.py).
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import deletion, export, throttling
from accounts.forms import (
    DeleteAccountForm,
    LoginForm,
    ResetPasswordForm,
    SettingsForm,
    SignupForm,
)
from roadmap.pages import current_enrollments

BACKEND = "accounts.backends.UsernameOrEmailBackend"


def posted(request):
    """The POST data of a POST (even an empty one), so that an empty form shows its errors."""
    return request.POST if request.method == "POST" else None


def safe_next(request):
    """The `next` the request carries when it points back into this site, else ''."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if allowed else ""


def keep_session(request, remember):
    """A session lasts SESSION_COOKIE_AGE only when the learner asks ("Keep me logged in");
    otherwise it ends with the browser. Sign-up and log-in both start sessions through here."""
    request.session.set_expiry(None if remember else 0)


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    next_url = safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    if request.method == "POST":
        # Before the form is checked: a throttled probe learns nothing about who exists.
        typed = request.POST
        wait = throttling.throttled(
            request, "signup", username=typed.get("username"), email=typed.get("email")
        )
        if wait:
            return throttling.throttled_page(request, "signup", wait)
    form = SignupForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:  # someone took the name or address a moment ago
            form.add_error(None, _("That username or e-mail address was just taken."))
        else:
            login(request, user, backend=BACKEND)
            keep_session(request, remember=False)
            messages.success(request, _("Welcome to Waypoint! Your account is ready."))
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    status = 400 if form.errors else 200
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        keep_session(self.request, form.cleaned_data["remember_me"])
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_default_redirect_url(self):
        """A learner with a roadmap goes on where they left off; `next` still wins."""
        if current_enrollments(self.request.user).exists():
            return resolve_url("roadmap:dashboard")
        return super().get_default_redirect_url()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetPasswordForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")

    def post(self, request, *args, **kwargs):
        wait = throttling.throttled(request, "password-reset", email=request.POST.get("email"))
        if wait:
            return throttling.throttled_page(request, "password-reset", wait)
        return super().post(request, *args, **kwargs)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request):
    form = SettingsForm(posted(request), instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your settings are saved."))
            return redirect("accounts:settings")
        request.user.refresh_from_db()  # the failed form must not show half-applied values
    status = 400 if form.errors else 200
    return render(request, "accounts/settings.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_data(request):
    """GET (and HEAD) explains the export; POST (the download button) sends the JSON file."""
    if request.method != "POST":
        return render(request, "accounts/export.html")
    now = timezone.now()
    document = export.export(request.user, now=now)
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export.filename(request.user, now=now)
    )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.user, posted(request))
    if request.method == "POST" and form.is_valid():
        deletion.delete_account(request.user)
        logout(request)
        messages.success(request, _("Your account and all its data are deleted. Goodbye!"))
        return redirect("roadmap:home")
    status = 400 if form.errors else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)
