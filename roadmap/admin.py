"""Admin registrations to browse and edit all roadmap content and learner records."""

from django.contrib import admin
from django.db import models

from roadmap.models import (
    Activity,
    Enrollment,
    Milestone,
    MilestoneProgress,
    Phase,
    Resource,
    Roadmap,
    Skill,
    Step,
    StepSkip,
)


class PhaseInline(admin.TabularInline):
    model = Phase
    fields = ["position", "key", "title", "archived_at"]
    show_change_link = True
    extra = 0


class StepInline(admin.TabularInline):
    model = Step
    fields = ["position", "key", "title", "hours", "archived_at"]
    show_change_link = True
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ["position", "key", "title", "archived_at"]
    extra = 0


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = ["position", "title", "url", "kind", "free"]
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PhaseInline]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["title", "roadmap", "position", "archived_at"]
    list_filter = ["roadmap"]
    list_select_related = ["roadmap"]
    search_fields = ["title", "key"]
    inlines = [StepInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["title", "phase", "roadmap", "hours", "position", "archived_at"]
    list_filter = ["roadmap", "skills"]
    list_select_related = ["phase", "roadmap"]
    search_fields = ["title", "key", "summary"]
    autocomplete_fields = ["skills", "requires"]
    inlines = [MilestoneInline, ResourceInline]

    def save_related(self, request, form, formsets, change):
        # Milestones inherit their step's roadmap, which the inline does not show.
        for formset in formsets:
            if formset.model is Milestone:
                for milestone_form in formset.forms:
                    milestone_form.instance.roadmap_id = form.instance.roadmap_id
        super().save_related(request, form, formsets, change)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "slug"]
    list_filter = ["category"]
    search_fields = ["name", "slug", "category"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "roadmap", "status", "created_at"]
    list_filter = ["status", "roadmap"]
    list_select_related = ["user", "roadmap"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(MilestoneProgress)
class MilestoneProgressAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "milestone", "done_at", "first_done_at"]
    list_select_related = ["enrollment__user", "enrollment__roadmap", "milestone"]
    raw_id_fields = ["enrollment", "milestone"]


@admin.register(StepSkip)
class StepSkipAdmin(admin.ModelAdmin):
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
