"""Reminder settings, the one-click unsubscribe, and the calendar feed with its settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from reminders import calendar, emails
from reminders.forms import ReminderSettingsForm
from reminders.models import SentReminder
from roadmap import access

# The new feed URL is shown once, on the page the POST redirects to; only its hash is kept.
NEW_FEED_SESSION_KEY = "reminders-new-calendar-feed"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    prefs = emails.preferences_for(request.user)
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        # E-mails come in the language the learner reads the site in.
        emails.save_preferences(request.user, **form.cleaned_data, language=get_language())
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:settings")
    status = 400 if form.errors else 200
    return render(request, "reminders/settings.html", {"form": form}, status=status)


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks to confirm (mail scanners fetch links); POST unsubscribes, also one-click."""
    recipient = emails.read_unsubscribe_token(token)
    if recipient is None:
        raise Http404
    user_id, kind = recipient
    context = {"kind": SentReminder.Kind(kind), "token": token}
    if request.method == "POST":
        emails.unsubscribe(user_id, kind)
        return render(request, "reminders/unsubscribed.html", context)
    return render(request, "reminders/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_settings(request, slug):
    enrollment = access.enrollment_for_user(request.user, slug)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "new":
            replaced = calendar.has_feed(enrollment)
            token = calendar.issue_token(enrollment)
            request.session[NEW_FEED_SESSION_KEY] = [enrollment.pk, token]
            if replaced:
                messages.success(
                    request, _("Your new calendar link is ready. The old one no longer works.")
                )
            else:
                messages.success(request, _("Your calendar link is ready."))
        elif action == "revoke":
            calendar.revoke(enrollment)
            messages.success(request, _("Your calendar link is turned off."))
        else:
            return HttpResponse(_("Unknown action."), status=400)
        return redirect("reminders:calendar", slug=slug)
    # Shown once: a GET takes it out of the session; a HEAD (which shows nothing) leaves it.
    shown = request.session.pop(NEW_FEED_SESSION_KEY, None) if request.method == "GET" else None
    new_url = calendar.feed_url(shown[1]) if shown and shown[0] == enrollment.pk else None
    context = {
        "enrollment": enrollment,
        "roadmap": enrollment.roadmap,
        "has_feed": new_url is not None or calendar.has_feed(enrollment),
        "new_url": new_url,
    }
    return render(request, "reminders/calendar.html", context)


@require_safe
def calendar_feed(request, token):
    """The feed itself: no login (calendar apps cannot log in); the URL is the secret."""
    enrollment = calendar.enrollment_for_token(token)
    if enrollment is None:
        raise Http404
    response = HttpResponse(
        calendar.feed(enrollment, timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-cache"
    response["Content-Disposition"] = 'inline; filename="waypoint.ics"'
    return response
