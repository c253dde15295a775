import pytest

from roadmap import progress
from roadmap.models import Activity, MilestoneProgress, StepSkip
from tests.roadmap.helpers import HTMX, enrolled_learner, milestone, tick_url

pytestmark = pytest.mark.django_db


def skip_step(client, key, value="1", **extra):
    return client.post(f"/roadmaps/test-roadmap/steps/{key}/skip/", {"skipped": value}, **extra)


def test_skipping_a_step_counts_it_and_is_undoable(client):
    enrollment = enrolled_learner(client)  # 8 milestones

    response = skip_step(client, "step-0-0")

    assert response["Location"] == "/roadmaps/test-roadmap/#step-step-0-0"
    overall = progress.summary(enrollment).overall
    assert (overall.done, overall.skipped, overall.percent) == (0, 2, 25)
    skip_step(client, "step-0-0")  # a double click changes nothing more
    assert StepSkip.objects.count() == 1
    skip_step(client, "step-0-0", "0")
    assert progress.summary(enrollment).overall.percent == 0
    assert list(Activity.objects.order_by("id").values_list("kind", flat=True)) == [
        "skipped",
        "unskipped",
    ]


def test_htmx_skip_swaps_the_step_and_updates_the_figures(client):
    enrolled_learner(client)
    html = skip_step(client, "step-0-1", **HTMX).content.decode()
    assert html.lstrip().startswith('<article id="step-step-0-1" class="step-page step--skipped')
    assert "Skipped — you already know this" in html
    assert "Undo skip" in html
    assert '<span class="percent">25%</span>' in html
    assert 'id="phase-phase-0-progress" class="phase-progress" hx-swap-oob="true"' in html


def test_skipping_a_phase_skips_every_step_in_one_action(client):
    enrollment = enrolled_learner(client)
    response = client.post("/roadmaps/test-roadmap/phases/phase-1/skip/", {"skipped": "1"}, **HTMX)
    html = response.content.decode()
    assert html.lstrip().startswith('<li class="outline__phase" id="phase-phase-1">')
    assert "Undo skipping this phase" in html
    overall = progress.summary(enrollment).overall
    assert (overall.skipped, overall.percent) == (4, 50)
    client.post("/roadmaps/test-roadmap/phases/phase-1/skip/", {"skipped": "0"})
    assert progress.summary(enrollment).overall.skipped == 0


def test_done_and_skipped_are_shown_apart(client):
    enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    skip_step(client, "step-1-0")
    page = " ".join(client.get("/roadmaps/test-roadmap/").content.decode().split())
    assert "1 done · 2 skipped · 5 to go" in page


def test_a_fully_skipped_roadmap_reaches_100(client):
    enrollment = enrolled_learner(client)
    for phase in ("phase-0", "phase-1"):
        client.post(f"/roadmaps/test-roadmap/phases/{phase}/skip/", {"skipped": "1"})
    assert progress.summary(enrollment).overall.percent == 100
    page = client.get("/roadmaps/test-roadmap/").content.decode()
    assert "You have completed every milestone" in page


def test_prerequisites_not_yet_done_show_as_needs_in_the_outline(client):
    enrolled_learner(client)
    needs = '<span class="meta outline__needs">Needs 1.1</span>'
    assert needs in client.get("/roadmaps/test-roadmap/").content.decode()
    skip_step(client, "step-0-0")
    assert needs not in client.get("/roadmaps/test-roadmap/").content.decode()


def test_resetting_a_step_keeps_history_and_first_done_dates(client):
    enrollment = enrolled_learner(client)
    for key in ("step-0-0-m0", "step-0-0-m1"):
        client.post(tick_url(milestone(key)), {"done": "1"})
    first_done = set(MilestoneProgress.objects.values_list("first_done_at", flat=True))

    client.post("/roadmaps/test-roadmap/steps/step-0-0/reset/", {"confirm": "1"})

    assert progress.summary(enrollment).overall.done == 0
    assert set(MilestoneProgress.objects.values_list("first_done_at", flat=True)) == first_done
    assert list(Activity.objects.order_by("id").values_list("kind", flat=True)) == [
        "ticked",
        "ticked",
        "reset",
    ]


def test_resetting_a_phase_and_the_roadmap(client):
    enrollment = enrolled_learner(client)
    client.post(tick_url(milestone("step-0-0-m0")), {"done": "1"})
    skip_step(client, "step-1-1")

    client.post("/roadmaps/test-roadmap/phases/phase-1/reset/", {"confirm": "1"})
    assert progress.summary(enrollment).overall.skipped == 0
    assert progress.summary(enrollment).overall.done == 1

    client.post("/roadmaps/test-roadmap/reset/", {"confirm": "1"})
    assert progress.summary(enrollment).overall.done == 0
    assert Activity.objects.filter(kind="reset").count() == 2


def test_skipping_an_unknown_step_is_a_404(client):
    enrolled_learner(client)
    assert skip_step(client, "no-such-step").status_code == 404
    assert not StepSkip.objects.exists()


def test_a_skipped_step_says_what_skipping_means_instead_of_a_count_of_ticks(client):
    enrolled_learner(client)
    html = skip_step(client, "step-0-1", **HTMX).content.decode()
    status = html[html.index('id="step-step-0-1-status"') :]
    status = status[: status.index("</p>")]

    assert "Its 2 milestones are counted as known, not left to do." in status
    assert "0 of 2" not in status


@pytest.mark.parametrize("skipped", ["1", "0"])
def test_a_phase_skipped_with_htmx_keeps_finished_steps_hidden_where_the_page_hid_them(
    client, skipped
):
    enrolled_learner(client)
    for key in ("step-1-0-m0", "step-1-0-m1"):  # step 1.0 done: finished either way
        client.post(tick_url(milestone(key)), {"done": "1"})
    if skipped == "0":
        client.post("/roadmaps/test-roadmap/phases/phase-1/skip/", {"skipped": "1"})
    here = "/roadmaps/test-roadmap/?finished=hide"

    response = client.post(
        "/roadmaps/test-roadmap/phases/phase-1/skip/", {"skipped": skipped, "next": here}, **HTMX
    )

    page = client.get(here).content.decode()
    start = page.index('<li class="outline__phase" id="phase-phase-1">')
    phase_on_the_page = page[start : page.index("</ol>", start)]  # its own list of steps
    assert steps_linked(phase_on_the_page) == ({"step-1-1"} if skipped == "0" else set())
    assert steps_linked(response.content.decode()) == steps_linked(phase_on_the_page)


def steps_linked(html):
    """The phase 1 steps whose lines `html` shows (each line links to its step's page)."""
    keys = ("step-1-0", "step-1-1")
    return {key for key in keys if f'href="/roadmaps/test-roadmap/steps/{key}/"' in html}
