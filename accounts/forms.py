"""The forms of the account pages: sign up, log in, settings, delete."""

import functools
import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.utils.translation import gettext_lazy as _

from config.integers import integer_field

User = get_user_model()
EMAIL_MAX_LENGTH = 254
DEFAULT_TIME_ZONE = "UTC"


@functools.cache
def time_zone_names():
    """IANA zone names a person would pick: Europe/Paris, UTC; not aliases like posixrules."""
    names = zoneinfo.available_timezones()
    regions = sorted(name for name in names if "/" in name and not name.startswith("Etc/"))
    return [DEFAULT_TIME_ZONE, *regions]


def time_zone_or_utc(value):
    """The browser's reported zone when we know it, else UTC."""
    return value if value in zoneinfo.available_timezones() else DEFAULT_TIME_ZONE


def without_autofocus(form):
    """Only the error summary takes focus, so a screen reader starts at the top of the page."""
    for field in form.fields.values():
        field.widget.attrs.pop("autofocus", None)


def email_taken(email, exclude=None):
    accounts = User.objects.filter(email__iexact=email)
    if exclude is not None:
        accounts = accounts.exclude(pk=exclude.pk)
    return accounts.exists()


class UniqueEmailMixin:
    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if email_taken(email, exclude=self.instance if self.instance.pk else None):
            raise forms.ValidationError(
                _("An account with this e-mail address already exists."), code="unique"
            )
        return email


class SignupForm(UniqueEmailMixin, UserCreationForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("For password resets only. You can also log in with it."),
    )
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Password again")
        self.fields["password2"].help_text = _("The same password, to be sure you typed it right.")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        without_autofocus(self)

    def clean_time_zone(self):
        return time_zone_or_utc(self.cleaned_data.get("time_zone"))

    def save(self, commit=True):
        user = super().save(commit=False)
        user.time_zone = self.cleaned_data["time_zone"]
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    remember_me = forms.BooleanField(label=_("Keep me logged in on this device"), required=False)

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That username or e-mail address and password do not match an account. "
            "Passwords are case-sensitive."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Username or e-mail address")
        # An e-mail address may be longer than a username.
        username.max_length = EMAIL_MAX_LENGTH
        username.widget.attrs["maxlength"] = EMAIL_MAX_LENGTH
        without_autofocus(self)


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password2"].label = _("New password again")


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        without_autofocus(self)


class ResetPasswordForm(PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")


class SettingsForm(UniqueEmailMixin, forms.ModelForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=EMAIL_MAX_LENGTH)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Your days, and so your streak, start at midnight in this time zone."),
    )
    weekly_hours_goal = integer_field(
        User._meta.get_field("weekly_hours_goal"),
        label=_("Weekly hours goal"),
        help_text=_("Hours a week you mean to learn, 0 to 80. Used to project your finish date."),
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "time_zone", "weekly_hours_goal")
        labels = {"display_name": _("Display name")}
        help_texts = {"display_name": _("Shown instead of your username. Optional.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = time_zone_names()
        if self.instance.time_zone not in names:  # an alias set elsewhere, such as Etc/GMT+5
            names = [self.instance.time_zone, *names]
        self.fields["time_zone"].choices = [(name, name) for name in names]
        self.fields["email"].widget.attrs["autocomplete"] = "email"


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your password. Nothing was deleted."), code="password_incorrect"
            )
        return password
