"""Django's admin app with our site class (see admin_site.py); named in INSTALLED_APPS."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    default_site = "portal.backoffice.admin_site.PortalAdminSite"
