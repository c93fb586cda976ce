from __future__ import annotations

from django.urls import URLPattern, path

from portal.backoffice import audit_views, operations_views, support_views, views

app_name = "backoffice"

urlpatterns: list[URLPattern] = [
    path("", views.health, name="home"),
    path("organizations/", views.organization_list, name="organizations"),
    path("audit/", audit_views.audit, name="audit"),
    path("audit/export.csv", audit_views.audit_export, name="audit_export"),
    path("operations/", operations_views.operation_list, name="operations"),
    path("operations/<uuid:code>/", operations_views.operation_detail, name="operation_detail"),
    path("operations/<uuid:code>/retry/", operations_views.operation_retry, name="operation_retry"),
    path(
        "operations/<uuid:code>/resolve/",
        operations_views.operation_resolve,
        name="operation_resolve",
    ),
    path("webhooks/", operations_views.webhook_list, name="webhooks"),
    path("errors/", views.error_list, name="errors"),
    path("errors/<int:pk>/", views.error_detail, name="error_detail"),
    path(
        "organizations/<slug:slug>/support/",
        support_views.support_session_start,
        name="support_start",
    ),
    path("support/<int:pk>/end/", support_views.support_session_end, name="support_end"),
    path(
        "organizations/<slug:slug>/subscriptions-check/",
        operations_views.subscriptions_check,
        name="subscriptions_check",
    ),
]
