"""The reminder settings form: a weekly digest and a nudge, both off until chosen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reminders.models import NUDGE_DAYS_MAX, ReminderSettings


def hour_choices():
    return [(hour, f"{hour:02d}:00") for hour in range(24)]


class ReminderSettingsForm(forms.ModelForm):
    digest = forms.BooleanField(
        label=_("Send me a weekly digest"),
        required=False,
        help_text=_(
            "What you learned in the last seven days, your pace against your target date, "
            "and the steps planned for the coming week."
        ),
    )
    hour = forms.TypedChoiceField(
        label=_("Hour of the e-mails"),
        choices=hour_choices,
        coerce=int,
        help_text=_("In your time zone (see Settings). Nudges come at this hour too."),
    )
    nudge_days = forms.IntegerField(
        label=_("Nudge me after this many days without a tick"),
        required=False,
        min_value=1,
        max_value=NUDGE_DAYS_MAX,
    )

    class Meta:
        model = ReminderSettings
        fields = ("digest", "digest_weekday", "hour", "nudge_days")
        labels = {"digest_weekday": _("Day of the digest")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nudge_days"].help_text = _(
            "1 to %(max)d days. Leave it empty for no nudges."
        ) % {"max": NUDGE_DAYS_MAX}
