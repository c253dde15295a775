"""Roadmap content (roadmap, phase, step, milestone) and each learner's progress through it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_MAX_LENGTH = 80
# An own roadmap's URL slug is its key, "_" and a random suffix (roadmap/ownership.py); curated
# keys never hold "_" (the YAML key rule), so the two can never collide.
OWNED_SLUG_MAX_LENGTH = KEY_MAX_LENGTH + 12
TITLE_MAX_LENGTH = 200
MILESTONE_TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 2000
ROADMAP_SUMMARY_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 5000
URL_MAX_LENGTH = 500
HOURS_MAX = 1000
WEEKLY_HOURS_MIN = 1
WEEKLY_HOURS_MAX = 80


class LiveQuerySet(models.QuerySet):
    """Content a curator removed but learners have progress on is archived, not deleted."""

    def live(self):
        return self.filter(archived_at__isnull=True)


class StepQuerySet(LiveQuerySet):
    def shown(self):
        """The steps learners see: live, in a live phase."""
        return self.live().filter(phase__archived_at__isnull=True)


class MilestoneQuerySet(LiveQuerySet):
    def shown(self):
        """The milestones learners see and tick: live, on a live step in a live phase."""
        return self.live().filter(
            step__archived_at__isnull=True, step__phase__archived_at__isnull=True
        )


class RoadmapQuerySet(models.QuerySet):
    def curated(self):
        """Roadmaps staff curate (no owner): the only ones the admin and the catalogue show."""
        return self.filter(owner__isnull=True)

    def published(self):
        """The catalogue: curated roadmaps learners may see and enrol in."""
        return self.curated().filter(status=Roadmap.Status.PUBLISHED)

    def owned_by(self, user):
        """A learner's own roadmaps (made in the browser, uploaded or adapted from a copy)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def trackable_by(self, user):
        """What this user may see and track: the catalogue and their own roadmaps."""
        if not user.is_authenticated:
            return self.published()
        return self.filter(
            models.Q(owner__isnull=True, status=Roadmap.Status.PUBLISHED) | models.Q(owner=user)
        )


class SkillQuerySet(models.QuerySet):
    def curated(self):
        return self.filter(owner__isnull=True)


class Skill(models.Model):
    """A skill steps teach. Curated skills have no owner; a learner's own roadmaps use skills of
    their own, so two owners (or an owner and the catalogue) may use the same slug."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    slug = models.SlugField(_("slug"), max_length=KEY_MAX_LENGTH)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=100, blank=True)

    objects = SkillQuerySet.as_manager()

    class Meta:
        ordering = ["category", "name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(owner__isnull=True),
                name="curated_skill_slug_unique",
            ),
            models.UniqueConstraint(fields=["owner", "slug"], name="skill_slug_unique_per_owner"),
        ]

    def __str__(self):
        return self.name


class Roadmap(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(
        _("slug"),
        max_length=OWNED_SLUG_MAX_LENGTH,
        unique=True,
        help_text=_("The roadmap's name in its URLs. For a curated roadmap, its key."),
    )
    key = models.SlugField(
        _("key"),
        max_length=KEY_MAX_LENGTH,
        help_text=_("The slug in the roadmap's YAML file; unique per owner."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_roadmaps",
        verbose_name=_("owner"),
        help_text=_("The learner whose own roadmap this is; none for a curated roadmap."),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    origin_revision = models.PositiveIntegerField(
        _("copied from revision"),
        null=True,
        blank=True,
        help_text=_("The original's revision this copy is in step with."),
    )
    settled_changes = models.JSONField(
        _("changes applied or dismissed"),
        default=list,
        blank=True,
        help_text=_(
            "Changes to the original since origin_revision that the owner applied or dismissed."
        ),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.CharField(_("summary"), max_length=ROADMAP_SUMMARY_MAX_LENGTH)
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    content_version = models.PositiveIntegerField(
        _("content version"),
        default=0,
        editable=False,
        help_text=_("Goes up on every change to the roadmap's content; keys cached pages."),
    )

    objects = RoadmapQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="roadmap_key_unique_per_owner"),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(owner__isnull=True),
                name="curated_roadmap_key_unique",
            ),
            # One copy of an original per learner: two tabs or a double click copy once.
            models.UniqueConstraint(fields=["owner", "origin"], name="one_copy_per_owner_origin"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.key and self.owner_id is None:
            self.key = self.slug  # a curated roadmap's key is its slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("roadmap:roadmap-detail", args=[self.slug])

    @property
    def is_published(self):
        return self.owner_id is None and self.status == self.Status.PUBLISHED

    @property
    def is_own(self):
        return self.owner_id is not None


class Phase(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="phases", verbose_name=_("roadmap")
    )
    key = models.SlugField(_("key"), max_length=KEY_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = LiveQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="phase_key_unique_in_roadmap"),
        ]

    def __str__(self):
        return self.title


class Step(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="steps", verbose_name=_("roadmap")
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.CASCADE, related_name="steps", verbose_name=_("phase")
    )
    key = models.SlugField(_("key"), max_length=KEY_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), max_length=SUMMARY_MAX_LENGTH)
    hours = models.PositiveSmallIntegerField(
        _("estimated hours"), validators=[MinValueValidator(1), MaxValueValidator(HOURS_MAX)]
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    skills = models.ManyToManyField(
        Skill, related_name="steps", blank=True, verbose_name=_("skills")
    )
    requires = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="required_by",
        blank=True,
        verbose_name=_("prerequisite steps"),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "key"], name="step_key_unique_in_roadmap"),
            models.CheckConstraint(
                condition=models.Q(hours__gte=1, hours__lte=HOURS_MAX), name="step_hours_in_range"
            ),
        ]
        indexes = [models.Index(fields=["phase", "position"], name="step_phase_position")]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("roadmap")
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("step")
    )
    key = models.SlugField(_("key"), max_length=KEY_MAX_LENGTH)
    title = models.CharField(_("title"), max_length=MILESTONE_TITLE_MAX_LENGTH)
    position = models.PositiveIntegerField(_("position"), default=0)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["roadmap", "key"], name="milestone_key_unique_in_roadmap"
            ),
        ]
        indexes = [models.Index(fields=["step", "position"], name="milestone_step_position")]

    def __str__(self):
        return self.title


class Resource(models.Model):
    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        BOOK = "book", _("Book")
        DOCS = "docs", _("Documentation")
        VIDEO = "video", _("Video")
        ARTICLE = "article", _("Article")
        PRACTICE = "practice", _("Practice")
        COMMUNITY = "community", _("Community")

    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="resources", verbose_name=_("step")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    url = models.URLField(_("URL"), max_length=URL_MAX_LENGTH)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    free = models.BooleanField(_("free"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.title


class EnrollmentQuerySet(models.QuerySet):
    def current(self):
        """Enrolments the learner has not left (active, paused or finished)."""
        return self.exclude(status=Enrollment.Status.LEFT)

    def active(self):
        return self.filter(status=Enrollment.Status.ACTIVE)


class Enrollment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        FINISHED = "finished", _("Finished")
        LEFT = "left", _("Left")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("learner"),
    )
    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.PROTECT, related_name="enrollments", verbose_name=_("roadmap")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    weekly_hours = models.PositiveSmallIntegerField(
        _("weekly hours"),
        null=True,
        blank=True,
        validators=[MinValueValidator(WEEKLY_HOURS_MIN), MaxValueValidator(WEEKLY_HOURS_MAX)],
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    seen_revision = models.PositiveIntegerField(
        _("last revision seen"),
        default=0,
        help_text=_("The roadmap revision whose changes the learner has seen or dismissed."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        editable=False,
        help_text=_("Goes up on every change the learner makes; keys cached pages."),
    )

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "roadmap"], name="one_enrollment_per_learner_and_roadmap"
            ),
            models.CheckConstraint(
                condition=models.Q(weekly_hours__isnull=True)
                | models.Q(weekly_hours__gte=WEEKLY_HOURS_MIN, weekly_hours__lte=WEEKLY_HOURS_MAX),
                name="enrollment_weekly_hours_in_range",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.roadmap}"

    @property
    def has_left(self):
        return self.status == self.Status.LEFT

    @property
    def is_paused(self):
        return self.status == self.Status.PAUSED


class MilestoneProgress(models.Model):
    """A learner's state on one milestone; the row outlives unticking so history survives."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="progress", verbose_name=_("enrolment")
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.PROTECT, related_name="progress", verbose_name=_("milestone")
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    first_done_at = models.DateTimeField(_("first done"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone progress")
        verbose_name_plural = _("milestone progress")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "milestone"], name="one_progress_per_enrollment_and_milestone"
            ),
        ]
        indexes = [
            # What a learner has done, read from the index alone (pages and dashboards) rather
            # than one scattered row per milestone.
            models.Index(
                fields=["enrollment", "milestone", "id"],
                condition=models.Q(done_at__isnull=False),
                name="progress_done_by_enrollment",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.milestone}"

    @property
    def is_done(self):
        return self.done_at is not None


class StepSkip(models.Model):
    """The learner already knows this step ("I already know this")."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="skips", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="skips", verbose_name=_("step")
    )
    created_at = models.DateTimeField(_("skipped"), auto_now_add=True)

    class Meta:
        verbose_name = _("skipped step")
        verbose_name_plural = _("skipped steps")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "step"], name="one_skip_per_enrollment_and_step"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.step}"


class Activity(models.Model):
    """Append-only log of what a learner did; it feeds streaks, the heatmap and history."""

    class Kind(models.TextChoices):
        TICKED = "ticked", _("Ticked")
        UNTICKED = "unticked", _("Unticked")
        SKIPPED = "skipped", _("Skipped")
        UNSKIPPED = "unskipped", _("Unskipped")
        RESET = "reset", _("Reset")
        RESTORED = "restored", _("Restored after a reset")

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="activities", verbose_name=_("enrolment")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("milestone"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("step"),
    )
    phase = models.ForeignKey(
        Phase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("phase"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity")
        verbose_name_plural = _("activity")
        indexes = [
            models.Index(fields=["enrollment", "created_at"], name="activity_enrollment_time"),
            # Milestone last: the heatmap and streak counts (distinct milestones ticked per day)
            # read only this index, not one scattered log row per tick.
            models.Index(
                fields=["enrollment", "kind", "created_at", "milestone"],
                name="activity_kind_time_milestone",
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("The activity log is append-only.")
        super().save(*args, **kwargs)


NOTE_MAX_LENGTH = 10_000
LINKS_PER_STEP = 20


class StepNote(models.Model):
    """A learner's private plain-text note on a step."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="notes", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="notes", verbose_name=_("step")
    )
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "step"], name="one_note_per_enrollment_and_step"
            ),
        ]

    def __str__(self):
        return f"{self.enrollment} · {self.step}"


class PersonalLink(models.Model):
    """A link a learner keeps for themselves on a step."""

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="links", verbose_name=_("enrolment")
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="personal_links", verbose_name=_("step")
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    url = models.URLField(_("URL"), max_length=URL_MAX_LENGTH)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        indexes = [models.Index(fields=["enrollment", "step"], name="link_enrollment_step")]

    def __str__(self):
        return self.title


class Revision(models.Model):
    """A published version of a roadmap: who published it, when, and what changed."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Published in the admin")
        FILE = "file", _("Loaded from a content file")

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("roadmap")
    )
    number = models.PositiveIntegerField(_("number"))
    created_at = models.DateTimeField(_("published"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    changes = models.JSONField(_("changes"), default=list, blank=True)
    snapshot = models.JSONField(_("content"), help_text=_("The roadmap as exported."))

    class Meta:
        ordering = ["roadmap", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "number"], name="one_number_per_revision"),
        ]

    def __str__(self):
        return f"{self.roadmap} · {self.number}"
