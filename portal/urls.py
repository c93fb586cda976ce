from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from portal.core import views as core_views
from portal.emails.renewal import share_link_renew_view

# Organization areas: the middleware resolves <org_slug> for every one of them.
ORG = "o/<slug:org_slug>/"

urlpatterns = [
    path("", include("portal.organizations.urls_global")),
    path("accounts/", include("portal.accounts.urls")),
    path(ORG, include("portal.documents.urls_dashboard")),
    path(ORG, include("portal.organizations.urls")),
    path(ORG + "connection/", include("portal.connections.urls")),
    path(ORG + "console/", include("portal.console.urls")),
    path(ORG + "operations/", include("portal.operations.urls")),
    path(ORG + "sync/", include("portal.sync.urls")),
    path(ORG + "contacts/", include("portal.contacts.urls")),
    path(ORG + "articles/", include("portal.articles.urls")),
    path(ORG + "documents/new/", include("portal.sales.urls")),
    path(ORG + "documents/", include("portal.documents.urls")),
    path(ORG + "imports/", include("portal.imports.urls")),
    path(ORG + "bookkeeping/", include("portal.bookkeeping.urls")),
    path(ORG + "receivables/", include("portal.receivables.urls")),
    path(ORG + "audit/", include("portal.backoffice.urls_org")),
    # Under documents/ so the navigation shows the documents area as the current one.
    path(ORG + "documents/files/", include("portal.files.urls")),
    path(ORG + "documents/sharing/", include("portal.sharing.urls")),
    path(ORG + "documents/email/", include("portal.emails.urls")),
    path("s/<str:token>/renew/", share_link_renew_view, name="share_renew"),
    path(ORG + "documents/render/", include("portal.rendering.urls")),
    path("s/", include("portal.sharing.urls_public")),
    path("hooks/", include("portal.sync.urls_hooks")),
    path("backoffice/admin/", admin.site.urls),
    path("backoffice/", include("portal.backoffice.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
]

# The database being down answers 503 "back in a moment", every other error the 500 page (R9).
handler500 = "portal.core.views.server_error"
