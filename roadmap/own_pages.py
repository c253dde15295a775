"""The page of a learner's own roadmaps (/my/roadmaps/): typed rows read in five queries,
whatever the number or size of the roadmaps."""

from dataclasses import dataclass, field

from roadmap.models import Enrollment, Roadmap
from roadmap.ownership import ROADMAPS_PER_USER, UPLOAD_MAX_BYTES
from roadmap.progress import step_counts_for, summarise


@dataclass(frozen=True)
class OwnRoadmapRow:
    """One own roadmap on the list, with the owner's percent (None when they left it)."""

    slug: str
    key: str
    title: str
    summary: str
    percent: int | None
    tracked: bool  # the owner's enrolment is current: its dashboard and share page exist


@dataclass
class OwnRoadmapsPage:
    rows: list
    limit: int = ROADMAPS_PER_USER
    upload_max_kib: int = UPLOAD_MAX_BYTES // 1024
    # Problems of a refused upload or replace, and which roadmap a replace was for.
    problems: list = field(default_factory=list)
    replace_slug: str | None = None

    @property
    def count(self):
        return len(self.rows)

    @property
    def has_room(self):
        return self.count < self.limit


def own_roadmaps_page(user, problems=(), replace_slug=None):
    """The user's own roadmaps by title, each with the percent every other page shows (the
    one arithmetic of roadmap/progress.py): one query for the roadmaps, one for the owner's
    enrolments and three for their counts."""
    roadmaps = list(Roadmap.objects.owned_by(user).only("slug", "key", "title", "summary"))
    enrollments = list(Enrollment.objects.current().filter(user=user, roadmap__in=roadmaps))
    counts = step_counts_for(enrollments) if enrollments else {}
    by_roadmap = {e.roadmap_id: counts[e.pk] for e in enrollments}
    rows = []
    for roadmap in roadmaps:
        steps = by_roadmap.get(roadmap.pk)
        rows.append(
            OwnRoadmapRow(
                slug=roadmap.slug,
                key=roadmap.key,
                title=roadmap.title,
                summary=roadmap.summary,
                percent=summarise(steps).overall.percent if steps is not None else None,
                tracked=steps is not None,
            )
        )
    return OwnRoadmapsPage(rows=rows, problems=list(problems), replace_slug=replace_slug)
