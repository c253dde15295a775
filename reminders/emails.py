"""The reminder e-mails: their content, both parts, and the one-click unsubscribe (RFC 8058).

Each message is rendered in the learner's language and time zone, as plain text and HTML,
and carries `List-Unsubscribe` (an https URL with a signed token naming the user and the kind
of e-mail) and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, so mail clients can offer
"Unsubscribe" without the learner logging in.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.middleware import learner_zone
from reminders import digest
from reminders.models import ReminderSettings, SentReminder
from reminders.site import absolute_url

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
TEMPLATES = {
    SentReminder.Kind.DIGEST: "reminders/email/digest",
    SentReminder.Kind.NUDGE: "reminders/email/nudge",
}


def unsubscribe_token(user_id, kind):
    """A token that stops one kind of e-mail for one learner; it never expires, as old
    e-mails keep their links."""
    return signing.dumps([user_id, kind], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user id, kind) from a token, or None when it was not made by this site."""
    try:
        user_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    if not isinstance(user_id, int) or kind not in SentReminder.Kind.values:
        return None
    return user_id, kind


def unsubscribe_url(user_id, kind):
    return absolute_url(reverse("reminders:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def preferences_for(user):
    """The learner's reminder settings; unsaved defaults (everything off) before the first save."""
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)


def save_preferences(user, **fields):
    """Store the learner's reminder settings, whether or not they had any (two tabs too)."""
    try:
        with transaction.atomic():
            ReminderSettings.objects.update_or_create(user=user, defaults=fields)
    except IntegrityError:  # a second tab made them a moment ago
        ReminderSettings.objects.filter(user=user).update(**fields)


def unsubscribe(user_id, kind):
    """Stop one kind of e-mail for one learner; returns whether anything was on."""
    prefs = ReminderSettings.objects.filter(user_id=user_id)
    if kind == SentReminder.Kind.DIGEST:
        return prefs.filter(digest=True).update(digest=False) > 0
    return prefs.filter(nudge_days__isnull=False).update(nudge_days=None) > 0


def build(prefs, kind, now):
    """The e-mail of this kind for this learner at `now`, or None with nothing to say."""
    user = prefs.user
    zone = learner_zone(user)
    with translation.override(prefs.language), timezone.override(zone):
        write = digest.digest if kind == SentReminder.Kind.DIGEST else digest.nudge
        content = write(user, now)
        if content is None:
            return None
        url = unsubscribe_url(user.pk, kind)
        context = {
            "user": user,
            "prefs": prefs,
            "content": content,
            "unsubscribe_url": url,
            "settings_url": absolute_url(reverse("reminders:settings")),
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        template = TEMPLATES[kind]
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message
