"""Write validated roadmap specs to the database: create or update by slug and key.

Writing is idempotent (only what differs is saved) and keeps learners' progress: content a
file no longer lists is deleted when nobody has progress on it and archived otherwise.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap.content.reading import parse_file
from roadmap.content.schema import ContentError, Problem
from roadmap.models import (
    Activity,
    Milestone,
    MilestoneProgress,
    PersonalLink,
    Phase,
    Resource,
    Roadmap,
    Skill,
    Step,
    StepNote,
    StepSkip,
)
from roadmap.versions import content_changed


@dataclass
class LoadReport:
    slug: str
    created: bool = False
    changes: Counter = field(default_factory=Counter)
    roadmap: object = None  # the Roadmap written

    @property
    def changed(self):
        return self.created or bool(self.changes)

    def note(self, what, count=1):
        if count:
            self.changes[what] += count


def load_files(paths):
    """Validate every file first; write them all in one transaction only if all are valid."""
    specs, problems, first_file = [], [], {}
    for path in paths:
        try:
            spec = parse_file(path)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if spec.slug in first_file:
            message = _("“%(slug)s” is also the slug of %(other)s") % {
                "slug": spec.slug,
                "other": first_file[spec.slug],
            }
            problems.append(Problem(str(path), "slug", message))
            continue
        first_file[spec.slug] = str(path)
        specs.append(spec)
    if problems:
        raise ContentError(problems)
    with transaction.atomic():
        return [write_roadmap(spec) for spec in specs]


@transaction.atomic
def write_roadmap(spec, owner=None, roadmap=None):
    """Create or update the roadmap the spec describes, keeping learners' progress.

    A curated roadmap (no owner) is found by its slug. A learner's own roadmap is the one given
    (`roadmap`, already checked to be theirs by roadmap/access.py), or a new one whose URL slug
    roadmap/ownership.py chose; it is never published, and its skills are the owner's own.
    """
    if owner is None:
        roadmap, created = Roadmap.objects.get_or_create(
            slug=spec.slug,
            owner=None,
            defaults={
                "key": spec.slug,
                "title": spec.title,
                "summary": spec.summary,
                "description": spec.description,
                "status": spec.status,
            },
        )
        status = spec.status
    else:
        created = roadmap is None or roadmap.pk is None
        status = Roadmap.Status.DRAFT
        if roadmap is None:
            raise ValueError("an own roadmap is written into a Roadmap row made by its owner")
        if created:
            roadmap.owner = owner
            roadmap.key = spec.slug
            roadmap.title = spec.title
            roadmap.summary = spec.summary
            roadmap.description = spec.description
            roadmap.status = status
            roadmap.save()
    report = LoadReport(slug=spec.slug, created=created)
    if not created and _assign(
        roadmap,
        key=spec.slug,
        title=spec.title,
        summary=spec.summary,
        description=spec.description,
        status=status,
    ):
        roadmap.save()
        report.note("roadmap updated")
    skills = _write_skills(spec.skills, report, owner)
    phases = _write_phases(roadmap, spec, report)
    steps = _write_steps(roadmap, spec, phases, skills, report)
    _write_milestones(roadmap, spec, steps, report)
    _retire_missing(roadmap, spec, report)
    if report.changed:
        content_changed(roadmap.pk)  # archiving sends no signals
    if report.changed and roadmap.is_published:
        from roadmap.curation import record_revision  # curation builds on this module

        record_revision(roadmap, source="file")
    report.roadmap = roadmap
    return report


def _assign(obj, **values):
    """Set the values that differ; return whether any did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _upsert(model, existing, key, report, label, **values):
    obj = existing.get(key)
    if obj is None:
        obj = model.objects.create(key=key, **values)
        report.note(f"{label} added")
    elif _assign(obj, **values):
        obj.save()
        report.note(f"{label} updated")
    return obj


def _write_skills(specs, report, owner):
    existing = {
        skill.slug: skill
        for skill in Skill.objects.filter(owner=owner, slug__in=[spec.slug for spec in specs])
    }
    skills = {}
    for spec in specs:
        skill = existing.get(spec.slug)
        if skill is None:
            skill = Skill.objects.create(
                owner=owner, slug=spec.slug, name=spec.name, category=spec.category
            )
            report.note("skills added")
        elif _assign(skill, name=spec.name, category=spec.category):
            skill.save()
            report.note("skills updated")
        skills[spec.slug] = skill
    return skills


def _write_phases(roadmap, spec, report):
    existing = {phase.key: phase for phase in Phase.objects.filter(roadmap=roadmap)}
    return {
        phase_spec.key: _upsert(
            Phase,
            existing,
            phase_spec.key,
            report,
            "phases",
            roadmap_id=roadmap.pk,
            title=phase_spec.title,
            summary=phase_spec.summary,
            position=position,
            archived_at=None,
        )
        for position, phase_spec in enumerate(spec.phases)
    }


def _write_steps(roadmap, spec, phases, skills, report):
    existing = {
        step.key: step
        for step in Step.objects.filter(roadmap=roadmap).prefetch_related(
            "skills", "requires", "resources"
        )
    }
    steps = {}
    for phase_spec in spec.phases:
        for position, step_spec in enumerate(phase_spec.steps):
            steps[step_spec.key] = _upsert(
                Step,
                existing,
                step_spec.key,
                report,
                "steps",
                roadmap_id=roadmap.pk,
                phase_id=phases[phase_spec.key].pk,
                title=step_spec.title,
                summary=step_spec.summary,
                hours=step_spec.hours,
                position=position,
                archived_at=None,
            )
    for step_spec in spec.steps():
        step = steps[step_spec.key]
        fresh = step_spec.key not in existing
        wanted_skills = {skills[slug].pk for slug in step_spec.skills}
        if fresh or {skill.pk for skill in step.skills.all()} != wanted_skills:
            step.skills.set(wanted_skills)
            report.note("step skills changed", 0 if fresh else 1)
        wanted_requires = {steps[key].pk for key in step_spec.requires}
        if fresh or {required.pk for required in step.requires.all()} != wanted_requires:
            step.requires.set(wanted_requires)
            report.note("step prerequisites changed", 0 if fresh else 1)
        _write_resources(step, step_spec, fresh, report)
    return steps


def _write_resources(step, step_spec, fresh, report):
    wanted = [(r.title, r.url, r.kind, r.free) for r in step_spec.resources]
    current = [] if fresh else [(r.title, r.url, r.kind, r.free) for r in step.resources.all()]
    if wanted == current:
        return
    if not fresh:
        step.resources.all().delete()
        report.note("step resources changed")
    Resource.objects.bulk_create(
        Resource(step=step, title=title, url=url, kind=kind, free=free, position=position)
        for position, (title, url, kind, free) in enumerate(wanted)
    )


def _write_milestones(roadmap, spec, steps, report):
    existing = {milestone.key: milestone for milestone in Milestone.objects.filter(roadmap=roadmap)}
    for step_spec in spec.steps():
        for position, milestone_spec in enumerate(step_spec.milestones):
            _upsert(
                Milestone,
                existing,
                milestone_spec.key,
                report,
                "milestones",
                roadmap_id=roadmap.pk,
                step_id=steps[step_spec.key].pk,
                title=milestone_spec.title,
                position=position,
                archived_at=None,
            )


def _retire_missing(roadmap, spec, report):
    """Delete content the file dropped, or archive it when learners have history on it."""
    steps = spec.steps()
    milestone_keys = {milestone.key for step in steps for milestone in step.milestones}
    _retire(
        Milestone.objects.filter(roadmap=roadmap).exclude(key__in=milestone_keys),
        [
            MilestoneProgress.objects.filter(milestone=OuterRef("pk")),
            Activity.objects.filter(milestone=OuterRef("pk")),
        ],
        report,
        "milestones",
    )
    _retire(
        Step.objects.filter(roadmap=roadmap).exclude(key__in={step.key for step in steps}),
        [
            Milestone.objects.filter(step=OuterRef("pk")),
            StepSkip.objects.filter(step=OuterRef("pk")),
            Activity.objects.filter(step=OuterRef("pk")),
            StepNote.objects.filter(step=OuterRef("pk")),
            PersonalLink.objects.filter(step=OuterRef("pk")),
        ],
        report,
        "steps",
    )
    _retire(
        Phase.objects.filter(roadmap=roadmap).exclude(key__in={phase.key for phase in spec.phases}),
        [Step.objects.filter(phase=OuterRef("pk")), Activity.objects.filter(phase=OuterRef("pk"))],
        report,
        "phases",
    )


def _retire(gone, history, report, label):
    """Archive the rows that something in `history` still points at; delete the rest."""
    has_history = Q()
    for queryset in history:
        has_history |= Q(Exists(queryset))
    rows = gone.annotate(has_history=ExpressionWrapper(has_history, output_field=BooleanField()))
    archive, delete = [], []
    for pk, kept, archived_at in rows.values_list("pk", "has_history", "archived_at"):
        if not kept:
            delete.append(pk)
        elif archived_at is None:
            archive.append(pk)
    if archive:
        gone.model.objects.filter(pk__in=archive).update(archived_at=timezone.now())
        report.note(f"{label} archived", len(archive))
    if delete:
        gone.model.objects.filter(pk__in=delete).delete()
        report.note(f"{label} removed", len(delete))
