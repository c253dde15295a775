import pytest

from roadmap.models import PersonalLink, StepNote
from tests.roadmap.helpers import HTMX, enrolled_learner

pytestmark = pytest.mark.django_db

NOTES = "/roadmaps/test-roadmap/steps/step-0-0/notes/"
LINKS = "/roadmaps/test-roadmap/steps/step-0-0/links/"

STEP_PAGE = "/roadmaps/test-roadmap/steps/step-0-0/"


def test_saving_a_note_without_javascript_returns_to_the_step_page(client):
    enrolled_learner(client)
    response = client.post(NOTES, {"text": "Revise eigenvalues."})
    assert response["Location"] == "/roadmaps/test-roadmap/steps/step-0-0/#step-step-0-0-notes"
    assert StepNote.objects.get().text == "Revise eigenvalues."
    client.post(NOTES, {"text": "Second thoughts."})
    assert StepNote.objects.get().text == "Second thoughts."


def test_a_note_is_escaped(client):
    enrolled_learner(client)
    client.post(NOTES, {"text": "<script>alert('x')</script>"})
    page = client.get(STEP_PAGE).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_an_over_long_note_is_refused_in_place(client):
    """422, not 400: django-htmx's DEBUG handler would put a 400 in place of the whole page."""
    enrolled_learner(client)
    client.post(NOTES, {"text": "kept"})
    response = client.post(NOTES, {"text": "x" * 10_001}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="step-step-0-0-notes"')
    assert "at most 10000 characters" in html
    assert StepNote.objects.get().text == "kept"


def test_an_over_long_note_without_javascript_shows_the_notes_page_with_errors(client):
    enrolled_learner(client)
    response = client.post(NOTES, {"text": "x" * 10_001})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not StepNote.objects.exists()


def test_adding_and_removing_a_link(client):
    enrolled_learner(client)
    response = client.post(LINKS, {"title": "3Blue1Brown", "url": "https://www.3blue1brown.com/"})
    assert response.status_code == 302
    link = PersonalLink.objects.get()
    html = client.get(STEP_PAGE).content.decode()
    assert '<a href="https://www.3blue1brown.com/" rel="noopener nofollow">3Blue1Brown</a>' in html
    client.post(f"{LINKS}{link.pk}/delete/", **HTMX)
    assert not PersonalLink.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "Evil", "url": "javascript:alert(1)"}, "Enter an http:// or https:// address."),
        ({"title": "FTP", "url": "ftp://example.com/"}, "Enter an http:// or https:// address."),
        ({"title": "Typo", "url": "https://exa mple"}, "Enter an http:// or https:// address."),
        ({"title": "", "url": "https://example.com/"}, "This field is required."),
        ({"title": "x" * 201, "url": "https://example.com/"}, "at most 200 characters"),
    ],
)
def test_bad_links_are_refused_in_place_with_one_message(client, data, message):
    enrolled_learner(client)
    response = client.post(LINKS, data, **HTMX)
    assert response.status_code == 422
    assert response.content.decode().count(message) == 1
    assert not PersonalLink.objects.exists()


def test_at_most_twenty_links_per_step(client):
    enrolled_learner(client)
    for index in range(20):
        client.post(LINKS, {"title": f"Link {index}", "url": f"https://example.com/{index}"})
    response = client.post(LINKS, {"title": "One too many", "url": "https://example.com/x"}, **HTMX)
    assert response.status_code == 422
    assert "up to 20 links" in response.content.decode()
    assert PersonalLink.objects.count() == 20


def test_the_notes_page_works_without_javascript(client):
    enrolled_learner(client)
    response = client.get(NOTES)
    assert response.status_code == 200
    assert "Your notes on Step 0.0" in response.content.decode()


def test_saving_says_so_in_place_and_after_the_redirect(client):
    enrolled_learner(client)

    in_place = client.post(NOTES, {"text": "Revise eigenvalues."}, **HTMX).content.decode()
    redirected = client.post(NOTES, {"text": "Again."}, follow=True).content.decode()
    added = client.post(LINKS, {"title": "Docs", "url": "https://example.com/"}, **HTMX)

    assert '<p class="saved" role="status">Note saved.</p>' in in_place
    assert "Note saved." in redirected
    assert "Link added." in added.content.decode()


def test_a_refused_note_does_not_claim_it_was_saved(client):
    enrolled_learner(client)

    response = client.post(NOTES, {"text": "x" * 10_001}, **HTMX)

    assert response.status_code == 422
    assert "Note saved." not in response.content.decode()
