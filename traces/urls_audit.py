from django.urls import path

from traces import views_audit

app_name = "audit"

urlpatterns = [
    path("audit/", views_audit.audit_queue, name="queue"),
    path("audit/fill/", views_audit.audit_fill, name="fill"),
    path("audit/verdicts/<int:verdict_id>/decide/", views_audit.audit_decide, name="decide"),
    path("audit/agreement/", views_audit.audit_agreement, name="agreement"),
]
