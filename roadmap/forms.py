"""Forms a learner fills in on a roadmap: enrolment and goals, notes and personal links."""

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.integers import integer_field
from roadmap.models import (
    NOTE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    URL_MAX_LENGTH,
    WEEKLY_HOURS_MAX,
    WEEKLY_HOURS_MIN,
    Enrollment,
)


class GoalsForm(forms.Form):
    """Weekly hours and target date of an enrolment, at enrolment and on its dashboard.

    A target the hours cannot reach is accepted: the view warns what they do reach."""

    weekly_hours = forms.IntegerField(
        label=_("Hours per week (optional)"),
        required=False,
        min_value=WEEKLY_HOURS_MIN,
        max_value=WEEKLY_HOURS_MAX,
        help_text=_("Whole hours, 1 to 80. Leave empty to use the goal in your settings."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    target_date = forms.DateField(
        label=_("Target date (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_target_date(self):
        value = self.cleaned_data["target_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a target date that is not in the past."))
        return value


EnrolForm = GoalsForm


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text, up to 10,000 characters. Only you can see it."),
    )


class WebAddressField(forms.URLField):
    """A URL field for web pages only.

    Replaces URLField's own validator (which also allows ftp) rather than adding a second
    one: both would fail on a malformed address and the message would show twice.
    """

    default_validators = [URLValidator(schemes=["http", "https"])]
    default_error_messages = {"invalid": _("Enter an http:// or https:// address.")}


class LinkForm(forms.Form):
    title = forms.CharField(label=_("Link title"), max_length=TITLE_MAX_LENGTH, strip=True)
    url = WebAddressField(label=_("Address"), max_length=URL_MAX_LENGTH, assume_scheme="https")


class SeenRevisionForm(forms.Form):
    """The roadmap revision whose changes the learner dismissed."""

    revision = integer_field(Enrollment._meta.get_field("seen_revision"))


class RoadmapFileForm(forms.Form):
    """A roadmap's YAML file, uploaded as a new own roadmap or to replace one's content; what
    it holds is read by ownership.read_upload (the page writes its own file inputs)."""

    file = forms.FileField(label=_("YAML file"))
