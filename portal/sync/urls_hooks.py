from __future__ import annotations

from django.urls import path

from portal.sync import receiver

app_name = "hooks"

urlpatterns = [
    path("lexware/", receiver.lexware_webhook, name="lexware"),
]
