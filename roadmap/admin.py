"""Admin registrations to browse and edit all roadmap content and learner records."""

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.integers import BoundedIntegers
from roadmap import curation
from roadmap.content import ContentError
from roadmap.content.diff import Change, RoadmapDiff
from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    Phase,
    Resource,
    Revision,
    Roadmap,
    Skill,
    Step,
    StepSkip,
)
from roadmap.versions import content_changed, learner_changed


class InRoadmapFormSet(forms.BaseInlineFormSet):
    """Steps on a phase page, milestones on a step page: rows that belong to the parent's
    roadmap, which the inline does not show.

    Keys are unique within a roadmap, archived content included (a database constraint).
    With the roadmap not in the form, Django's own unique checks pass over the constraint
    and a reused key was an IntegrityError; checking here makes it an error on the key
    field: against the rest of the roadmap, and among the rows of this submission.
    """

    def clean(self):
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.cleaned_data.get("key") and not self._should_delete_form(form)
        ]
        roadmap_id = self.instance.roadmap_id
        taken = set()
        if roadmap_id is not None:
            in_this_formset = [form.instance.pk for form in self.forms if form.instance.pk]
            taken = set(
                self.model.objects.filter(roadmap_id=roadmap_id)
                .exclude(pk__in=in_this_formset)
                .values_list("key", flat=True)
            )
        message = _("Another %(kind)s in this roadmap already has the key “%(key)s”.")
        for form in rows:
            key = form.cleaned_data["key"]
            if key in taken:
                kind = self.model._meta.verbose_name
                form.add_error("key", message % {"kind": kind, "key": key})
            taken.add(key)

    def save(self, commit=True):
        for form in self.forms:
            form.instance.roadmap_id = self.instance.roadmap_id
        return super().save(commit)


class PhaseInline(BoundedIntegers, admin.TabularInline):
    model = Phase
    fields = ["position", "key", "title", "archived_at"]
    show_change_link = True
    extra = 0


class StepInline(BoundedIntegers, admin.TabularInline):
    model = Step
    formset = InRoadmapFormSet
    fields = ["position", "key", "title", "hours", "archived_at"]
    show_change_link = True
    extra = 0


class MilestoneInline(BoundedIntegers, admin.TabularInline):
    model = Milestone
    formset = InRoadmapFormSet
    fields = ["position", "key", "title", "archived_at"]
    extra = 0


class ResourceInline(BoundedIntegers, admin.TabularInline):
    model = Resource
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["position", "title", "url", "kind", "free"]
    extra = 0


class RecordsRevisions(BoundedIntegers):
    """Edits to a published roadmap are live at once, so each save records a revision."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        roadmap = getattr(form.instance, "roadmap", form.instance)
        curation.renumber(roadmap)
        if roadmap.is_published:
            curation.record_revision(roadmap, request.user)


class ArchiveMixin:
    """Content with learner progress cannot be deleted (PROTECT); archive it instead."""

    actions = ["archive", "restore"]

    @admin.action(description=gettext_lazy("Archive (hide from learners, keep their history)"))
    def archive(self, request, queryset):
        count = queryset.filter(archived_at__isnull=True).update(archived_at=timezone.now())
        content_changed(*set(queryset.values_list("roadmap_id", flat=True)))
        self.message_user(request, _("Archived %d. Learners' history on them is kept.") % count)

    @admin.action(description=gettext_lazy("Restore from the archive"))
    def restore(self, request, queryset):
        count = queryset.filter(archived_at__isnull=False).update(archived_at=None)
        content_changed(*set(queryset.values_list("roadmap_id", flat=True)))
        self.message_user(request, _("Restored %d.") % count)

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "archive_hint": _(
                "Content that learners have progress on cannot be deleted, so that nobody "
                "loses their history. Use the “Archive” action on the list page instead: it "
                "hides the content from learners and keeps their records."
            ),
        }
        return super().delete_view(request, object_id, extra_context)


class RevisionInline(admin.TabularInline):
    model = Revision
    fields = ["number", "created_at", "created_by", "source", "summary"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("what changed"))
    def summary(self, revision):
        lines = RoadmapDiff([Change(**change) for change in revision.changes]).lines()
        return "; ".join(lines[:6]) + ("; …" if len(lines) > 6 else "")


class CuratedOnly:
    """The admin curates the catalogue: learners' own roadmaps and skills (roadmap/ownership.py)
    are private to them and never listed, filtered on or offered as a choice here."""

    curated_lookup = "roadmap__owner__isnull"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(**{self.curated_lookup: True})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model in (Roadmap, Phase, Step, Skill):
            kwargs["queryset"] = _curated(db_field.related_model)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.related_model in (Step, Skill):
            kwargs["queryset"] = _curated(db_field.related_model)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _curated(model):
    if model in (Roadmap, Skill):
        return model.objects.filter(owner__isnull=True)
    return model.objects.filter(roadmap__owner__isnull=True)


@admin.register(Roadmap)
class RoadmapAdmin(CuratedOnly, RecordsRevisions, admin.ModelAdmin):
    curated_lookup = "owner__isnull"
    exclude = ["key", "owner", "origin", "origin_revision", "settled_changes"]
    list_display = ["title", "slug", "status", "updated_at", "preview_link", "insight_link"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["status"]
    inlines = [PhaseInline, RevisionInline]
    actions = ["publish", "unpublish"]

    def save_model(self, request, obj, form, change):
        obj.key = obj.slug  # a curated roadmap's key is its slug, renamed with it
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("preview"))
    def preview_link(self, roadmap):
        url = reverse("roadmap:roadmap-preview", args=[roadmap.slug])
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    @admin.display(description=gettext_lazy("insight"))
    def insight_link(self, roadmap):
        url = reverse("roadmap:roadmap-insight", args=[roadmap.slug])
        return format_html('<a href="{}">{}</a>', url, _("Where learners stall"))

    @admin.action(description=gettext_lazy("Publish the selected roadmaps"))
    def publish(self, request, queryset):
        for roadmap in queryset:
            try:
                revision = curation.publish(roadmap, request.user)
            except ContentError as error:
                problems = "; ".join(f"{p.path}: {p.message}" for p in error.problems[:5])
                message = _("“%(title)s” was not published: %(problems)s")
                self.message_user(
                    request, message % {"title": roadmap, "problems": problems}, messages.ERROR
                )
                continue
            if revision:
                message = _("“%(title)s” is published as revision %(number)d.")
                values = {"title": roadmap, "number": revision.number}
            else:
                message, values = (
                    _("“%(title)s” is published; its content did not change."),
                    {"title": roadmap},
                )
            self.message_user(request, message % values, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Move the selected roadmaps back to draft"))
    def unpublish(self, request, queryset):
        for roadmap in queryset:
            curation.unpublish(roadmap)
        self.message_user(request, _("Moved back to draft. Learners no longer see them."))


@admin.register(Phase)
class PhaseAdmin(CuratedOnly, RecordsRevisions, ArchiveMixin, admin.ModelAdmin):
    list_display = ["title", "roadmap", "position", "archived_at"]
    list_filter = [("roadmap", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["roadmap"]
    search_fields = ["title", "key"]
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(CuratedOnly, RecordsRevisions, ArchiveMixin, admin.ModelAdmin):
    list_display = ["title", "phase", "roadmap", "hours", "position", "archived_at"]
    list_filter = [
        ("roadmap", admin.RelatedOnlyFieldListFilter),
        ("phase", admin.RelatedOnlyFieldListFilter),
        ("skills", admin.RelatedOnlyFieldListFilter),
        "archived_at",
    ]
    list_select_related = ["phase", "roadmap"]
    search_fields = ["title", "key", "summary"]
    autocomplete_fields = ["skills", "requires"]
    inlines = [MilestoneInline, ResourceInline]


@admin.register(Skill)
class SkillAdmin(CuratedOnly, admin.ModelAdmin):
    curated_lookup = "owner__isnull"
    exclude = ["owner"]
    list_display = ["name", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "slug", "category"]


class LearnerDataAdmin(BoundedIntegers, admin.ModelAdmin):
    """Staff edits to a learner's records raise their enrolment's version (roadmap/versions.py),
    so the learner's cached pages show them at once."""

    def enrollment_ids(self, objs):
        return {obj.pk if isinstance(obj, Enrollment) else obj.enrollment_id for obj in objs}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        learner_changed(*self.enrollment_ids([obj]))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        learner_changed(*self.enrollment_ids([obj]))

    def delete_queryset(self, request, queryset):
        ids = self.enrollment_ids(queryset)
        super().delete_queryset(request, queryset)
        learner_changed(*ids)


@admin.register(Enrollment)
class EnrollmentAdmin(LearnerDataAdmin):
    list_display = ["user", "roadmap", "status", "created_at"]
    list_filter = ["status", "roadmap"]
    list_select_related = ["user", "roadmap"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(MilestoneProgress)
class MilestoneProgressAdmin(LearnerDataAdmin):
    list_display = ["enrollment", "milestone", "done_at", "first_done_at"]
    list_select_related = ["enrollment__user", "enrollment__roadmap", "milestone"]
    raw_id_fields = ["enrollment", "milestone"]


@admin.register(StepSkip)
class StepSkipAdmin(LearnerDataAdmin):
    list_display = ["enrollment", "step", "created_at"]
    list_select_related = ["enrollment__user", "enrollment__roadmap", "step"]
    raw_id_fields = ["enrollment", "step"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["created_at", "enrollment", "kind", "milestone", "step"]
    list_filter = ["kind"]
    list_select_related = ["enrollment__user", "enrollment__roadmap", "milestone", "step"]
    raw_id_fields = ["enrollment", "milestone", "step", "phase"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Append-only: the dashboards keep a learner's past days for the day
        # (roadmap/versions.py: learner_day_key).
        return False
