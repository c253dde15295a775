"""One queryset function per page: what each roadmap page needs, fetched in fixed queries."""

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from typing import ClassVar

from django.db import connection
from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from roadmap import access, fragments, links, map_layout, partials, svg, versions
from roadmap.curation import changes_since_seen
from roadmap.history import HISTORY_LENGTH, HistoryEntry
from roadmap.kept import Kept
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Phase,
    Roadmap,
    Skill,
    Step,
    StepNote,
    StepSkip,
)
from roadmap.outline import fresh, roadmap_outline
from roadmap.progress import (
    RoadmapProgress,
    StepCounts,
    StepState,
    Tally,
    step_counts_for,
    summarise,
)


def _per_roadmap(queryset, aggregate):
    rows = (
        queryset.filter(roadmap=OuterRef("pk"))
        .order_by()
        .values("roadmap")
        .annotate(value=aggregate)
        .values("value")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def published_roadmaps():
    """The catalogue: published roadmaps with their sizes, in one query."""
    return Roadmap.objects.published().annotate(
        phase_count=_per_roadmap(Phase.objects.live(), Count("pk")),
        step_count=_per_roadmap(Step.objects.shown(), Count("pk")),
        milestone_count=_per_roadmap(Milestone.objects.shown(), Count("pk")),
        hours_total=_per_roadmap(Step.objects.shown(), Sum("hours")),
    )


@dataclass(frozen=True)
class ContentMilestone:
    pk: int
    key: str
    title: str


@dataclass(frozen=True)
class ContentStep:
    """One live step of a version of a roadmap's content, numbered as the page numbers it."""

    pk: int
    phase_id: int
    key: str
    number: str  # "2.3": the third step of the second phase
    title: str
    summary: str
    hours: int
    milestones: tuple  # ContentMilestone, in order
    resources: tuple  # Resource rows, read only
    skills: tuple  # Skill rows, read only
    requires: tuple  # ids of the live steps it needs, in order
    unlocks: tuple  # ids of the live steps that need it, in roadmap order


@dataclass(frozen=True)
class ContentPhase:
    pk: int
    key: str
    number: int
    title: str
    summary: str
    steps: tuple  # ContentStep, in order


@dataclass(frozen=True)
class PageContent:
    """What a roadmap page shows of one version of a roadmap's content, the same for every
    learner: built once per content version and kept by each process (see page_content)."""

    phases: tuple  # ContentPhase, in roadmap order
    steps: tuple  # ContentStep, in roadmap order
    skills: tuple  # Skill rows, by category and name
    milestone_count: int
    hours_total: int


@dataclass(frozen=True)
class PageMilestone:
    pk: int
    key: str
    title: str
    is_done: bool


@dataclass(frozen=True)
class StepLine:
    """One step's line in the roadmap page's outline: everything the line's template
    (partials.OUTLINE_STEP) shows, and only that, so that the line's cache key
    (versions.step_key) is made of the very object the template reads."""

    key: str
    number: str
    title: str
    url: str
    hours: int
    milestone_count: int
    enrolled: bool
    state: StepState | None
    tally: Tally | None
    is_next: bool
    needs: tuple  # numbers of the prerequisites not yet done or skipped
    milestones: tuple  # titles, listed in a curator's preview only


# Progress as the small fragments every view after a tick shows it: each holds everything its
# template reads (and only that), so fragments.shown keeps each rendered by the object itself.
# `oob`: sent out of band, in a tick's (or a skip's) response, to replace the page's copy;
# `oob_attribute`: all that changes then is the root's hx-swap-oob attribute.


@dataclass(frozen=True)
class StepStatus:
    """A step's state in words and its milestone count (partials.STEP_STATUS)."""

    template: ClassVar[str] = partials.STEP_STATUS
    name: ClassVar[str] = "status"
    oob_attribute: ClassVar[bool] = True
    key: str
    state: StepState
    done: int
    total: int
    oob: bool = False

    @classmethod
    def of(cls, step, oob=False):
        """Of a step with a state and tally: a PageStep, StepLine, TickedStep or SharedStep."""
        return cls(step.key, step.state, step.tally.done, step.tally.total, bool(oob))


@dataclass(frozen=True)
class PhaseProgress:
    """A phase's bar and counts (partials.PHASE_PROGRESS)."""

    template: ClassVar[str] = partials.PHASE_PROGRESS
    name: ClassVar[str] = "progress"
    oob_attribute: ClassVar[bool] = True
    key: str
    title: str
    percent: int
    done: int
    skipped: int
    total: int
    oob: bool = False

    @classmethod
    def of(cls, phase, oob=False):
        """Of a phase with a tally: a PagePhase or TickedPhase."""
        tally = phase.tally
        return cls(
            phase.key,
            phase.title,
            tally.percent,
            tally.done,
            tally.skipped,
            tally.total,
            bool(oob),
        )


@dataclass(frozen=True)
class OverallProgress:
    """The learner's progress on the whole roadmap, and their next step
    (partials.OVERALL_PROGRESS)."""

    template: ClassVar[str] = partials.OVERALL_PROGRESS
    name: ClassVar[str] = "overall"
    oob_attribute: ClassVar[bool] = True
    slug: str
    percent: int
    done: int
    skipped: int
    remaining: int
    hours_remaining: float
    is_complete: bool
    paused: bool
    next_key: str = ""
    next_number: str = ""
    next_title: str = ""
    oob: bool = False

    @classmethod
    def of(cls, page, oob=False):
        """Of a page with the learner's progress: a RoadmapPage, StepPage or StepProgress."""
        tally, step = page.progress.overall, page.next_step
        return cls(
            slug=page.roadmap.slug,
            percent=tally.percent,
            done=tally.done,
            skipped=tally.skipped,
            remaining=tally.remaining,
            hours_remaining=tally.hours_remaining,
            is_complete=tally.is_complete,
            paused=page.enrollment.is_paused,
            next_key=step.key if step else "",
            next_number=step.number if step else "",
            next_title=step.title if step else "",
            oob=bool(oob),
        )


@dataclass(frozen=True)
class Announcement:
    """What the page's live region says after a change (partials.ANNOUNCER): the new percent,
    out of band; nothing in a page as first shown."""

    template: ClassVar[str] = partials.ANNOUNCER
    name: ClassVar[str] = "announcement"
    oob_attribute: ClassVar[bool] = False  # out of band, it says something
    percent: int
    oob: bool = False

    @classmethod
    def of(cls, page, oob=False):
        # A page as first shown says nothing: one fragment for every percent.
        return cls(page.progress.overall.percent if oob else 0, bool(oob))


FINISHED = (StepState.DONE, StepState.SKIPPED)


@dataclass(eq=False)
class PageStep:
    """A step as one learner's page shows it: the content, with their progress on it."""

    content: ContentStep
    url: str
    others: dict  # the page's steps by id: prerequisites carry their learner's state
    done: frozenset | set = frozenset()  # ids of the milestones the learner has done
    enrolled: bool = False
    preview: bool = False
    state: StepState | None = None
    tally: Tally | None = None
    is_next: bool = False
    note: str = ""
    links: tuple = ()
    html: str = ""  # the outline line, rendered or from the cache (fragments.prerender_steps)

    pk = property(lambda self: self.content.pk)
    phase_id = property(lambda self: self.content.phase_id)
    key = property(lambda self: self.content.key)
    number = property(lambda self: self.content.number)
    title = property(lambda self: self.content.title)
    summary = property(lambda self: self.content.summary)
    hours = property(lambda self: self.content.hours)
    resources = property(lambda self: self.content.resources)
    skills = property(lambda self: self.content.skills)

    @cached_property
    def milestones(self):
        done = self.done
        return tuple(
            PageMilestone(m.pk, m.key, m.title, m.pk in done) for m in self.content.milestones
        )

    @property
    def is_finished(self):
        return self.state in FINISHED

    @property
    def prerequisites(self):
        """(number, step) of each step this one needs."""
        return [(self.others[pk].number, self.others[pk]) for pk in self.content.requires]

    @property
    def unlocks(self):
        """(number, step) of each step that needs this one."""
        return [(self.others[pk].number, self.others[pk]) for pk in self.content.unlocks]

    @property
    def pending_prerequisites(self):
        """(number, step) of each prerequisite not yet done or skipped."""
        if not self.enrolled:
            return []
        return [(n, step) for n, step in self.prerequisites if step.state not in FINISHED]

    @cached_property
    def line(self):
        content = self.content
        return StepLine(
            key=content.key,
            number=content.number,
            title=content.title,
            url=self.url,
            hours=content.hours,
            milestone_count=len(content.milestones),
            enrolled=self.enrolled,
            state=self.state,
            tally=self.tally,
            is_next=self.is_next,
            needs=tuple(number for number, __ in self.pending_prerequisites),
            milestones=tuple(m.title for m in content.milestones) if self.preview else (),
        )


@dataclass(eq=False)
class PagePhase:
    content: ContentPhase
    steps: tuple  # PageStep, in order
    tally: Tally | None = None
    all_skipped: bool = False
    html: str = ""  # rendered, or from the cache (fragments.prerender_phases)

    pk = property(lambda self: self.content.pk)
    key = property(lambda self: self.content.key)
    number = property(lambda self: self.content.number)
    title = property(lambda self: self.content.title)
    summary = property(lambda self: self.content.summary)


@dataclass
class RoadmapPage:
    roadmap: Roadmap
    phases: list  # PagePhase
    skills: tuple
    step_count: int
    milestone_count: int
    hours_total: int
    enrollment: Enrollment | None = None
    progress: RoadmapProgress | None = None
    next_step: PageStep | None = None
    history: list | None = None
    changes: tuple = (0, [])  # (latest revision number, what changed since the learner looked)
    content: PageContent | None = None
    outline: str = ""  # every phase's HTML, joined (fragments.prerender_phases)

    @cached_property
    def map(self):
        """The drawn map (a RoadmapMap), worked out only when a template shows it."""
        return roadmap_map(self)

    def steps(self):
        return [step for phase in self.phases for step in phase.steps]

    @property
    def current_phase(self):
        """The phase of the next step; the first phase for someone not enrolled."""
        if self.next_step is not None:
            return next(p for p in self.phases if p.pk == self.next_step.phase_id)
        return None if self.enrollment else (self.phases[0] if self.phases else None)

    def locate_phase(self, key):
        """The page's phase with this key, or None."""
        for phase in self.phases:
            if phase.key == key:
                return phase
        return None

    def locate_step(self, key):
        """(phase, step) of the page's step with this key, or None."""
        for phase in self.phases:
            for step in phase.steps:
                if step.key == key:
                    return phase, step
        return None

    def locate_milestone(self, pk):
        """(phase, step, milestone) of the page's milestone with this id, or None."""
        for phase in self.phases:
            for step in phase.steps:
                for milestone in step.milestones:
                    if milestone.pk == pk:
                        return phase, step, milestone
        return None


@dataclass
class StepPage:
    """One step of a roadmap, with its neighbours in roadmap order."""

    page: RoadmapPage
    phase: PagePhase
    step: PageStep
    previous: PageStep | None
    next: PageStep | None


LOOK_UP = object()  # roadmap_page's enrolment: read it


def step_page(roadmap, key, user=None, enrollment=LOOK_UP):
    """A step of the roadmap as learners see it, read from the same data as the roadmap page
    (the same fixed queries, whatever the roadmap's size) and the learner's note and links
    on this step; None for any other key. `enrollment` as for roadmap_page."""
    page = roadmap_page(roadmap, user, with_history=False, enrollment=enrollment)
    located = page.locate_step(key)
    if located is None:
        return None
    phase, step = located
    if page.enrollment:
        _attach_notes(page.enrollment, step)
    steps = page.steps()
    index = steps.index(step)
    return StepPage(
        page=page,
        phase=phase,
        step=step,
        previous=steps[index - 1] if index else None,
        next=steps[index + 1] if index + 1 < len(steps) else None,
    )


def _attach_notes(enrollment, step):
    """The learner's note and links on one step (two queries)."""
    notes = StepNote.objects.filter(enrollment=enrollment, step_id=step.pk)
    step.note = notes.values_list("text", flat=True).first() or ""
    step.links = tuple(PersonalLink.objects.filter(enrollment=enrollment, step_id=step.pk))


def current_enrollment(user, roadmap):
    """The user's enrolment in the roadmap, unless they left it (None for anonymous users)."""
    return current_enrollments(user).filter(roadmap=roadmap).first()


# Content versions each process keeps unpickled (roadmap_content), built for pages
# (page_content) and laid out as a map (map_geometry); steps' URLs for the last few roadmaps.
_CONTENT_KEPT = 4
_content = Kept(_CONTENT_KEPT)
_page_contents = Kept(_CONTENT_KEPT)
_geometries = Kept(_CONTENT_KEPT)
_urls = Kept(_CONTENT_KEPT)


def roadmap_content(roadmap):
    """The roadmap's live phases with their steps, skills, prerequisites, resources and
    milestones, prefetched; cached per content version (roadmap/versions.py), so learners'
    pages share one copy until the content changes. Each call returns fresh objects (model
    rows a caller may annotate); roadmap pages read page_content instead."""
    return [fresh(phase) for phase in _content_rows(roadmap)]


def _content_rows(roadmap):
    """The shared prefetched rows of roadmap_content, not to be changed by anyone.

    Each process also keeps the last few versions it unpickled (roadmap/outline.py says why
    a process's copy of a content version cannot be stale)."""
    key = versions.content_cache_key("roadmap-content", roadmap)

    def read():
        steps = Step.objects.live().prefetch_related(
            Prefetch("skills", queryset=Skill.objects.all()),
            Prefetch("requires", queryset=Step.objects.live().only("id", "key", "title")),
            "resources",
            Prefetch("milestones", queryset=Milestone.objects.live()),
        )
        return list(
            Phase.objects.live()
            .filter(roadmap=roadmap)
            .prefetch_related(Prefetch("steps", queryset=steps))
        )

    return _content.through_cache(key, read, fragments.TIMEOUT)


def page_content(roadmap):
    """What a roadmap page shows of this version of the roadmap's content (a PageContent),
    the same for every learner: kept by each process per content version, like the outline
    (roadmap/outline.py says why a process's copy cannot be stale), and built from the cached
    content (roadmap_content) when a process first needs it."""
    key = versions.content_cache_key("page-content", roadmap)
    return _page_contents.through(key, lambda: _build_content(_content_rows(roadmap)))


def _build_content(phases):
    numbers, skills, unlocks = {}, {}, {}
    for phase_number, phase in enumerate(phases, start=1):
        for step_number, step in enumerate(phase.steps.all(), start=1):
            numbers[step.pk] = f"{phase_number}.{step_number}"
    for phase in phases:
        for step in phase.steps.all():
            for required in step.requires.all():
                if required.pk in numbers:
                    unlocks.setdefault(required.pk, []).append(step.pk)
    content_phases = []
    for phase_number, phase in enumerate(phases, start=1):
        steps = []
        for step in phase.steps.all():
            step_skills = tuple(step.skills.all())
            for skill in step_skills:
                skills[skill.pk] = skill
            steps.append(
                ContentStep(
                    pk=step.pk,
                    phase_id=step.phase_id,
                    key=step.key,
                    number=numbers[step.pk],
                    title=step.title,
                    summary=step.summary,
                    hours=step.hours,
                    milestones=tuple(
                        ContentMilestone(m.pk, m.key, m.title) for m in step.milestones.all()
                    ),
                    resources=tuple(step.resources.all()),
                    skills=step_skills,
                    requires=tuple(r.pk for r in step.requires.all() if r.pk in numbers),
                    unlocks=tuple(unlocks.get(step.pk, ())),
                )
            )
        content_phases.append(
            ContentPhase(
                phase.pk, phase.key, phase_number, phase.title, phase.summary, tuple(steps)
            )
        )
    all_steps = tuple(step for phase in content_phases for step in phase.steps)
    return PageContent(
        phases=tuple(content_phases),
        steps=all_steps,
        skills=tuple(sorted(skills.values(), key=lambda skill: (skill.category, skill.name))),
        milestone_count=sum(len(step.milestones) for step in all_steps),
        hours_total=sum(step.hours for step in all_steps),
    )


def roadmap_page(roadmap, user=None, with_history=True, preview=False, enrollment=LOOK_UP):
    """A roadmap with its content and, for an enrolled learner, their progress: typed page
    objects (PagePhase, PageStep) over the content every learner shares (page_content) and
    the learner's marks, in one query. The caller has checked that the user may see it
    (roadmap/access.py); a preview shows no progress. A caller that has read the user's
    current enrolment (or found there is none: None) passes it (versions.page_versions does).

    htmx responses pass with_history=False: the history list refreshes itself on its own.
    """
    if preview:
        enrollment = None
    elif enrollment is LOOK_UP:
        enrollment = current_enrollment(user, roadmap)
    elif enrollment is not None:
        enrollment.roadmap = roadmap
    content = page_content(roadmap)
    urls = _step_urls(roadmap.slug, tuple(step.key for step in content.steps))
    enrolled = enrollment is not None
    done, skipped, history = frozenset(), frozenset(), None
    if enrolled and with_history:
        done, skipped, __, history = learner_rows(enrollment)
    elif enrolled:
        done, skipped = learner_marks(enrollment)
    by_id, phases = {}, []
    for phase in content.phases:
        steps = tuple(
            PageStep(step, urls[step.key], by_id, done, enrolled, preview) for step in phase.steps
        )
        by_id.update((step.pk, step) for step in steps)
        phases.append(PagePhase(phase, steps))
    page = RoadmapPage(
        roadmap=roadmap,
        phases=phases,
        skills=content.skills,
        step_count=len(content.steps),
        milestone_count=content.milestone_count,
        hours_total=content.hours_total,
        enrollment=enrollment,
        content=content,
    )
    if enrolled:
        result = page.progress = summarise(progress_rows(content.steps, done, skipped))
        for phase in phases:
            phase.tally = result.phases.get(phase.pk, Tally())
            phase.all_skipped = all(step.pk in skipped for step in phase.steps)
            for step in phase.steps:
                step.tally = result.steps[step.pk]
                step.state = result.states[step.pk]
        page.next_step = by_id.get(result.next_step_id)
        if page.next_step is not None:
            page.next_step.is_next = True
        if with_history:
            page.history = history
            page.changes = changes_since_seen(enrollment)
    return page


@dataclass(frozen=True)
class RoadmapFrame:
    """What a roadmap page shows outside its holes (roadmap/fragments.py: render_framed): the
    same before and after a tick. Its template reads this and no other object there (the
    holes read the RoadmapPage), and its cache key is this object, whole (versions.frame_key).
    """

    content: tuple  # versions.content_key: the roadmap's row and content, in the key
    slug: str
    url: str
    title: str
    summary: str
    description: str
    is_own: bool
    is_published: bool
    origin_title: str  # the original of a copy
    phase_count: int
    step_count: int
    milestone_count: int
    hours_total: int
    skills: tuple  # names, by category and name
    enrolled: bool
    paused: bool
    hide_finished: bool
    preview: bool
    # base.html's menu: whether the visitor is signed in and may curate (the admin link)
    signed_in: bool
    curator: bool


def roadmap_frame(page, user, hide_finished=False, preview=False):
    """The frame of a roadmap page (a RoadmapFrame) for this user."""
    roadmap = page.roadmap
    return RoadmapFrame(
        content=versions.content_key(roadmap),
        slug=roadmap.slug,
        url=roadmap.get_absolute_url(),
        title=roadmap.title,
        summary=roadmap.summary,
        description=roadmap.description,
        is_own=roadmap.is_own,
        is_published=roadmap.is_published,
        origin_title=roadmap.origin.title if roadmap.origin_id else "",
        phase_count=len(page.phases),
        step_count=page.step_count,
        milestone_count=page.milestone_count,
        hours_total=page.hours_total,
        skills=tuple(skill.name for skill in page.skills),
        enrolled=page.enrollment is not None,
        paused=page.enrollment is not None and page.enrollment.is_paused,
        hide_finished=hide_finished,
        preview=preview,
        signed_in=user is not None and user.is_authenticated,
        curator=user is not None and access.is_curator(user),
    )


@dataclass(frozen=True)
class DashboardFrame:
    """What a roadmap's dashboard shows outside its holes (roadmap/fragments.py:
    render_framed): the roadmap's name and links, and base.html's menu. Its template reads
    this and nothing else there, and its cache key is this object, whole (versions.frame_key).
    """

    slug: str
    title: str
    # base.html's menu: a learner is signed in; whether they may curate (the admin link)
    curator: bool


def dashboard_frame(roadmap, user):
    """The frame of a roadmap's dashboard (a DashboardFrame) for this learner."""
    return DashboardFrame(slug=roadmap.slug, title=roadmap.title, curator=access.is_curator(user))


def progress_rows(steps, done, skipped):
    """The StepCounts rows of the one progress arithmetic (roadmap/progress.py) for steps of
    the content (ContentStep or outline.OutlineStep) and the learner's marks."""
    return [
        StepCounts(
            step_id=step.pk,
            phase_id=step.phase_id,
            hours=step.hours,
            total=len(step.milestones),
            done=sum(m.pk in done for m in step.milestones),
            skipped=step.pk in skipped,
        )
        for step in steps
    ]


def step_url(slug, key):
    """Where a step of a roadmap is shown: its own page."""
    return reverse("roadmap:step-detail", args=[slug, key])


@dataclass(frozen=True)
class RoadmapMap:
    """The roadmap's map for one page: the drawing, and the legend for what it shows."""

    template = partials.MAP
    svg: str
    legend: tuple  # (icon, words) for each state, empty for visitors
    step_count: int
    phase_count: int
    refresh_url: str = ""  # for a learner: where the map is fetched again after a change


def map_geometry(roadmap, content):
    """The map's layout for this version of the roadmap's content (a PageContent), worked
    out once and shared by every learner's page (it does not depend on anyone's progress);
    each process keeps the last few it used, like the content."""
    key = versions.content_cache_key(f"roadmap-map-{map_layout.LAYOUT_VERSION}", roadmap)

    def lay_out():
        keys = {step.pk: step.key for step in content.steps}
        return map_layout.layout(
            tuple(
                map_layout.MapPhase(
                    key=phase.key,
                    number=phase.number,
                    title=phase.title,
                    steps=tuple(
                        map_layout.MapStep(
                            step.key,
                            step.number,
                            step.title,
                            tuple(keys[pk] for pk in step.requires),
                        )
                        for step in phase.steps
                    ),
                )
                for phase in content.phases
            )
        )

    return _geometries.through_cache(key, lay_out, fragments.TIMEOUT)


def _step_urls(slug, keys):
    """{step key: its page's URL}, kept per process for the last few roadmaps' content (the
    map links every step; reversing hundreds of URLs cost more than drawing them)."""
    cache_key = (get_script_prefix(), slug, keys)
    return _urls.through(cache_key, lambda: {key: step_url(slug, key) for key in keys})


def _mark(step):
    if step.state == StepState.NOT_STARTED:
        return (
            map_layout.StepMark.WAITING
            if step.pending_prerequisites
            else map_layout.StepMark.AVAILABLE
        )
    return map_layout.StepMark(step.state)


@lru_cache(maxsize=16)
def _legend(language):
    """The map's legend in this language: (icon, words) for each state."""
    return tuple(
        (svg.legend_icon(mark), str(svg.MARK_SENTENCES[mark])) for mark in map_layout.StepMark
    )


def roadmap_map(page):
    """The map of a roadmap page: the cached layout, with the learner's states on top."""
    geometry = map_geometry(page.roadmap, page.content)
    marks, next_key, legend, refresh_url = None, None, (), ""
    if page.enrollment:
        marks = {step.key: _mark(step) for step in page.steps()}
        next_key = page.next_step.key if page.next_step else None
        refresh_url = links.link("roadmap:roadmap-map", page.roadmap.slug)
        legend = _legend(get_language())
    hrefs = _step_urls(page.roadmap.slug, tuple(node.key for node in geometry.nodes))
    steps = ngettext("%(count)d step", "%(count)d steps", len(geometry.nodes)) % {
        "count": len(geometry.nodes)
    }
    label = _("Map of %(roadmap)s: %(steps)s") % {"roadmap": page.roadmap.title, "steps": steps}
    return RoadmapMap(
        svg=svg.roadmap_map(geometry, label, "map", hrefs, marks, next_key),
        legend=legend,
        step_count=len(geometry.nodes),
        phase_count=len(geometry.bands),
        refresh_url=refresh_url,
    )


def current_enrollments(user):
    """The user's enrolments they have not left (none for anonymous users)."""
    if user is None or not user.is_authenticated:
        return Enrollment.objects.none()
    return Enrollment.objects.current().filter(user=user)


def enrolled_percents(user):
    """{roadmap id: the user's percent complete} for the catalogue, in four queries whatever
    the number of roadmaps (none for a visitor)."""
    enrollments = list(current_enrollments(user))
    if not enrollments:
        return {}
    counts = step_counts_for(enrollments)
    return {e.roadmap_id: summarise(counts[e.pk]).overall.percent for e in enrollments}


@dataclass
class ContinueCard:
    """Where the learner left off: their latest active roadmap's next step and its first
    milestone not yet done."""

    roadmap: Roadmap
    step: Step
    milestone: Milestone
    percent: int


def continue_card(user):
    """The "Continue" card of the home page and the dashboard, or None; five queries."""
    enrollment = (
        current_enrollments(user)
        .active()
        .select_related("roadmap")
        .annotate(last=Max("activities__created_at"))
        .order_by(F("last").desc(nulls_last=True), "-created_at")
        .first()
    )
    if enrollment is None:
        return None
    return continue_card_of(enrollment, summarise(step_counts_for([enrollment])[enrollment.pk]))


def continue_card_of(enrollment, summary):
    """The "Continue" card of an enrolment whose progress is known (a RoadmapProgress), or
    None when nothing is left; one query."""
    if summary.next_step_id is None:
        return None
    done = MilestoneProgress.objects.filter(enrollment=enrollment, done_at__isnull=False)
    milestone = (
        Milestone.objects.live()
        .filter(step_id=summary.next_step_id)
        .exclude(pk__in=done.values("milestone_id"))
        .select_related("step")
        .first()
    )
    if milestone is None:
        return None
    milestone.is_done = False
    return ContinueCard(
        roadmap=enrollment.roadmap,
        step=milestone.step,
        milestone=milestone,
        percent=summary.overall.percent,
    )


@dataclass(frozen=True)
class TickedMilestone:
    pk: int
    key: str
    title: str
    is_done: bool


@dataclass(frozen=True)
class TickedStep:
    key: str
    title: str
    number: str
    state: StepState
    tally: Tally


@dataclass(frozen=True)
class TickedPhase:
    key: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class StepProgress:
    """What a tick's response shows: the ticked milestone, its step's state, its phase's
    progress and the overall progress with the next step. Templates read it as they read a
    RoadmapPage (`page`) and its phase, step and milestone."""

    roadmap: Roadmap
    enrollment: Enrollment
    progress: RoadmapProgress
    next_step: object  # an outline.OutlineStep, or None when everything is done or skipped
    phase: TickedPhase
    step: TickedStep
    milestone: TickedMilestone


def learner_marks(enrollment):
    """(ids of the milestones the learner has done, ids of the steps they skipped), in one
    query (learner_rows without history)."""
    done, skipped, __, __ = learner_rows(enrollment, limit=0)
    return done, skipped


# The learner's marks (learner_marks), their latest log entries (history.recent_activity)
# and, for the dashboard, their ticks since a moment (plan.enrollment_ticks), in one query:
# written in SQL, since the tick and pages run it on every view after a change, where
# building the queries with the ORM took longer than running them. Columns:
# what, two ids, a flag, a moment, three texts. The ticks come first and the entries second,
# their NULLs typed: PostgreSQL types each column pair by pair, and an untyped NULL of a
# subquery as text.
_TICKS_SQL = """
    SELECT 2, a.milestone_id, m.step_id, CASE WHEN m.archived_at IS NULL THEN 0 ELSE 1 END,
        a.created_at, NULL, NULL, NULL
    FROM {activity} a JOIN {milestone} m ON m.id = a.milestone_id
    WHERE a.enrollment_id = %s AND a.kind = %s AND a.created_at >= %s
    UNION ALL
"""
# The latest entries are picked first (the activity_enrollment_time index), and only they are
# joined to their titles: joining the whole log first made every page after a tick cost time in
# proportion to the learner's whole history.
_HISTORY_SQL = """
    SELECT 3, a.id, CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), a.created_at, a.kind,
        m.title, s.title
    FROM (
        SELECT id, created_at, kind, milestone_id, step_id FROM {activity}
        WHERE enrollment_id = %s
        ORDER BY created_at DESC, id DESC
        LIMIT %s
    ) a
    LEFT JOIN {milestone} m ON m.id = a.milestone_id
    LEFT JOIN {step} s ON s.id = a.step_id
    UNION ALL
"""
_MARKS_SQL = """
    SELECT 0, milestone_id, NULL, NULL, NULL, NULL, NULL, NULL
    FROM {progress} WHERE enrollment_id = %s AND done_at IS NOT NULL
    UNION ALL
    SELECT 1, step_id, NULL, NULL, NULL, NULL, NULL, NULL FROM {skip} WHERE enrollment_id = %s
"""


def learner_rows(enrollment, since=None, limit=HISTORY_LENGTH):
    """(ids of the milestones done, ids of the steps skipped, (moment, milestone id, step id,
    archived) of the ticks since `since` for plan.as_tick (none without `since`), the latest
    `limit` log entries as history.HistoryEntry, newest first (none for 0)), in one query."""
    sql = (_TICKS_SQL if since is not None else "") + (_HISTORY_SQL if limit else "") + _MARKS_SQL
    sql = sql.format(
        progress=_table(MilestoneProgress),
        skip=_table(StepSkip),
        activity=_table(Activity),
        milestone=_table(Milestone),
        step=_table(Step),
    )
    pk = enrollment.pk
    params = [pk, limit, pk, pk] if limit else [pk, pk]
    if since is not None:
        moment = connection.ops.adapt_datetimefield_value(since)
        params = [pk, Activity.Kind.TICKED, moment, *params]
    done, skipped, ticks, history = set(), set(), [], []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for what, pk, step_id, archived, at, kind, milestone, step in cursor.fetchall():
            if what == 0:
                done.add(pk)
            elif what == 1:
                skipped.add(pk)
            elif what == 2:
                ticks.append((_moment(at), pk, step_id, archived))
            else:
                history.append(HistoryEntry(pk, kind, _moment(at), milestone or "", step or ""))
    history.sort(key=lambda entry: (entry.created_at, entry.pk), reverse=True)
    return done, skipped, ticks, history


def _table(model):
    return connection.ops.quote_name(model._meta.db_table)


def _moment(value):
    """An aware datetime of a raw column (SQLite gives text in the database's zone)."""
    if not isinstance(value, datetime):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, connection.timezone)


def step_progress(enrollment, milestone_id, marks):
    """The learner's progress around one live milestone of their roadmap (see StepProgress),
    from their marks (`learner_marks`, or what learning.mark_milestone returned) and the
    cached outline: no query whatever the roadmap's size."""
    content = roadmap_outline(enrollment.roadmap)
    done, skipped = marks
    result = summarise(progress_rows(content.steps, done, skipped))
    milestone = content.milestones[milestone_id]
    step = content.by_id[milestone.step_id]
    phase = content.phases[step.phase_id]
    return StepProgress(
        roadmap=enrollment.roadmap,
        enrollment=enrollment,
        progress=result,
        next_step=content.by_id.get(result.next_step_id),
        phase=TickedPhase(phase.key, phase.title, result.phases[phase.pk]),
        step=TickedStep(
            step.key, step.title, step.number, result.states[step.pk], result.steps[step.pk]
        ),
        milestone=TickedMilestone(
            milestone.pk, milestone.key, milestone.title, milestone.pk in done
        ),
    )
