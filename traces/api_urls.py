from django.urls import path

from traces import api, api_audit, api_browser, api_import

urlpatterns = [
    path("traces/", api.TraceListApi.as_view(), name="api-trace-list"),
    path("traces/import/", api_import.TraceImportApi.as_view(), name="api-trace-import"),
    path("traces/<int:trace_id>/", api.TraceDetailApi.as_view(), name="api-trace-detail"),
    path("verdicts/", api.VerdictListApi.as_view(), name="api-verdict-list"),
    path("verdicts/<int:verdict_id>/", api.VerdictDetailApi.as_view(), name="api-verdict-detail"),
    path("trace-rows/", api_browser.TraceRowListApi.as_view(), name="api-trace-rows"),
    path(
        "trace-rows/facets/", api_browser.TraceRowFacetsApi.as_view(), name="api-trace-row-facets"
    ),
    path("failures/", api_browser.FailureGroupsApi.as_view(), name="api-failure-groups"),
    path(
        "failures/compare/", api_browser.SolverComparisonApi.as_view(), name="api-failure-compare"
    ),
    path("audit/queue/", api_audit.AuditQueueApi.as_view(), name="api-audit-queue"),
    path("audit/agreement/", api_audit.AgreementApi.as_view(), name="api-audit-agreement"),
    path("audits/", api_audit.AuditListCreateApi.as_view(), name="api-audit-list"),
    path("audits/<int:audit_id>/", api_audit.AuditDetailApi.as_view(), name="api-audit-detail"),
]
