"""Thin tasks: an e-mail id in, `sending.send_email` does the work (safe to deliver twice)."""

from __future__ import annotations

from celery import shared_task

from portal.emails import sending


@shared_task(name="emails.send", ignore_result=True)
def send_email_task(email_id: int) -> str:
    return sending.send_email(email_id)


@shared_task(name="emails.sweep", ignore_result=True)
def sweep_emails() -> int:
    return sending.sweep_queued()
