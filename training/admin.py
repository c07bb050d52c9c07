"""Admin for datasets and training runs: read-only, since they are records of what was built
and trained (the pages and services create them; deleting is still possible)."""

from django.contrib import admin

from training.models import TrainingDataset, TrainingRun


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingDataset)
class TrainingDatasetAdmin(ReadOnlyAdmin):
    list_display = ("name", "status", "examples", "content_hash", "created_at")
    list_filter = ("status",)
    search_fields = ("name",)


@admin.register(TrainingRun)
class TrainingRunAdmin(ReadOnlyAdmin):
    list_display = ("name", "dataset", "status", "plan", "step", "max_steps", "final_loss")
    list_filter = ("status", "plan")
    list_select_related = ("dataset",)
    search_fields = ("name",)
