"""Forms that make a new own roadmap (the new-roadmap page, the upload form) answer once.

Each rendering of such a form carries an id of its own (`new_form_id`). The first request
sending an id claims it (roadmap/ownership.py: claim_form, across app servers); a double click
or a second tab sending the same form at the same moment waits for the first one's roadmap and
opens it, and so does the same form sent again later in the session. A form refused (a bad
file, a limit) releases its id, so that it may be corrected and sent again. Opening the page
again gives a new id: uploading a file again on purpose makes a second roadmap.
"""

import secrets
from dataclasses import dataclass

from django.shortcuts import redirect

from roadmap import ownership
from roadmap.models import Roadmap

FORM_FIELD = "form"
FORM_ID_MAX_LENGTH = 64  # ours are 16 characters
# Forms already answered in this session, so a second submit opens the first roadmap.
SESSION_KEY = "own-new-forms"
KEPT = 10


@dataclass(frozen=True)
class FormId:
    """The hidden field such a form carries (`name`, `value`): this rendering's id."""

    value: str
    name: str = FORM_FIELD


def new_form_id():
    return FormId(secrets.token_urlsafe(12))


def make_once(request, make, opened):
    """Answer the POSTed form once: `make()` returns (response, the roadmap made or None if
    refused); a repeat of a form that made a roadmap answers `opened(slug)` instead."""
    form = request.POST.get(FORM_FIELD, "")
    form = form if len(form) <= FORM_ID_MAX_LENGTH else ""
    made = request.session.get(SESSION_KEY, {}).get(form) if form else None
    if form and not made and not ownership.claim_form(request.user, form):
        made = ownership.made_by_form(request.user, form)  # sent twice at once
        if made is None:
            return redirect("own:list")
    if made and Roadmap.objects.owned_by(request.user).filter(slug=made).exists():
        return opened(made)
    response, roadmap = make()
    if form and roadmap is None:
        ownership.form_failed(request.user, form)
    elif form:
        ownership.form_made(request.user, form, roadmap.slug)
        answered = request.session.get(SESSION_KEY, {})
        answered = dict(list(answered.items())[-(KEPT - 1) :])
        answered[form] = roadmap.slug
        request.session[SESSION_KEY] = answered
    return response
