from __future__ import annotations

from celery import shared_task

from portal.connections.reminders import key_expiry_reminders_send


@shared_task(name="connections.key_expiry_reminders", ignore_result=True)
def key_expiry_reminders() -> int:
    return key_expiry_reminders_send()
