"""Admin for every model. Challenge content is read-only here: edits go through services,
which refuse to change a published challenge."""

from django.contrib import admin

from challenges.models import (
    BenchmarkImport,
    Challenge,
    ChallengeEdit,
    Conflict,
    Fact,
    Paper,
    Question,
    Suite,
    SuiteMembership,
)


class ReadOnlyContentAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class FactInline(admin.TabularInline):
    model = Fact
    fields = ("fact_id", "entity", "attribute", "value", "value_type", "section")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class QuestionInline(FactInline):
    model = Question
    fields = ("question_id", "category", "hops", "difficulty", "gold_answer", "conflict")


class ConflictInline(FactInline):
    model = Conflict
    fields = ("conflict_id", "target_fact_ref", "authoritative_value", "conflicting_value")


@admin.register(Challenge)
class ChallengeAdmin(ReadOnlyContentAdmin):
    list_display = ("public_id", "version", "split", "domain", "status", "word_count")
    list_filter = ("split", "status", "source_type", "domain")
    search_fields = ("public_id", "source_document_id")
    readonly_fields = ("content_hash", "created_at", "updated_at")
    inlines = (ConflictInline, QuestionInline, FactInline)


@admin.register(Fact)
class FactAdmin(ReadOnlyContentAdmin):
    list_display = ("fact_id", "challenge", "entity", "attribute", "value_type")
    search_fields = ("fact_id", "entity", "attribute")
    list_select_related = ("challenge",)


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyContentAdmin):
    list_display = ("conflict_id", "challenge", "target_fact_ref", "subordinate_position")
    list_select_related = ("challenge",)


@admin.register(Question)
class QuestionAdmin(ReadOnlyContentAdmin):
    list_display = ("question_id", "challenge", "category", "hops", "difficulty")
    list_filter = ("category", "difficulty", "hops")
    search_fields = ("text", "gold_answer")
    list_select_related = ("challenge",)


class SuiteMembershipInline(admin.TabularInline):
    model = SuiteMembership
    extra = 0
    raw_id_fields = ("challenge",)


@admin.register(Suite)
class SuiteAdmin(admin.ModelAdmin):
    list_display = ("name", "frozen_at", "created_at")
    search_fields = ("name",)
    readonly_fields = ("frozen_at", "source_header")
    inlines = (SuiteMembershipInline,)


@admin.register(Paper)
class PaperAdmin(admin.ModelAdmin):
    list_display = ("original_name", "arxiv_id", "status", "domain", "created_at")
    list_filter = ("status", "domain")
    search_fields = ("title", "arxiv_id", "sha256")
    readonly_fields = ("sha256", "size_bytes", "created_at", "updated_at")


@admin.register(BenchmarkImport)
class BenchmarkImportAdmin(ReadOnlyContentAdmin):
    list_display = ("original_name", "status", "progress_done", "progress_total", "created_at")
    list_filter = ("status",)


@admin.register(ChallengeEdit)
class ChallengeEditAdmin(ReadOnlyContentAdmin):
    """The review history is append-only: readable here, never edited or deleted."""

    list_display = ("challenge", "question_id", "action", "author", "created_at")
    list_filter = ("action",)
    search_fields = ("challenge__public_id", "question_id", "reason")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
