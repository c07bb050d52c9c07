"""Admin for solvers, traces, verdicts and audits. Verdicts come from the verifier and audits
are append-only, so neither can be edited here."""

from django.contrib import admin

from traces.models import Audit, Solver, Trace, Verdict


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Solver)
class SolverAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Trace)
class TraceAdmin(ReadOnlyAdmin):
    list_display = ("id", "challenge", "solver", "source", "parse_format", "created_at")
    list_filter = ("source", "parse_format", "solver")
    list_select_related = ("challenge", "solver")


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ("id", "trace", "question", "mode", "decision", "match_type")
    list_filter = ("mode", "decision", "match_type", "conflict_outcome")
    list_select_related = ("trace", "question")


@admin.register(Audit)
class AuditAdmin(ReadOnlyAdmin):
    list_display = ("id", "verdict", "annotator", "decision", "previous_decision", "created_at")
    list_filter = ("decision",)
    list_select_related = ("annotator",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
