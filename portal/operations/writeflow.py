"""The page half of the write path (DESIGN.md §7), shared by every "new …" / "edit …" page.

A feature's page has one template with a partial `write-region`: the form while there is no
operation in the context, the operation's status while there is one. The form posts into that
region (htmx) or to the page (no JavaScript); the status region asks the feature's status URL
again when the job-status fragment fires `operation-finished`. What that URL answers:

- succeeded → the object's page (HX-Redirect for htmx, a 302 otherwise);
- failed    → the form again, rebuilt from the operation's input, Lexware's errors on its fields;
  an edit that met a newer version in Lexware (`operation.conflict`) → both versions side by
  side (`conflict`, `comparison` in the context; templates/operations/_conflict.html) with
  "keep mine" (the edit form from the operation: the user's input on Lexware's version) and
  "take Lexware's" (the edit form from the mirror, which the worker refreshed);
- otherwise → the status (queued, "Lexware is temporarily unavailable" with a link that reopens
  the form from the operation, or checking an unknown outcome).

The next write form copies the contact example, piece by piece:

1. forms.py: a `WriteForm` subclass with `lexware_fields`, `to_lexware()`, `data_from_lexware()`
   (portal/contacts/forms.py `ContactForm`);
2. services.py: `<thing>_create(*, organization, user, data, idempotency_key, replaces)` that
   withdraws `replaces` and starts the operation (portal/contacts/services.py);
3. handlers.py: the write kind with `result_url` and `edit_url`, edit_url being the form URL
   with `?from=<code>` (portal/contacts/handlers.py);
4. views.py: a `WritePage` and two thin views, the form (GET/POST) and its status (GET);
   urls `<area>:create` and `<area>:create_status` (portal/contacts/views.py);
5. the template with the `write-region` partial (templates/contacts/contact_form.html);
6. tests: the permission inventory, tests/portal/test_form_bad_input.py, SAMPLES in
   tests/portal/operations/test_write_path.py, and an end-to-end test against the simulator
   (tests/portal/contacts/test_create.py).

An edit page is the same with `WritePage.edit_form(request, record)` for the form (the record
from the mirror, its version in the hidden `base_version`), a service that calls
`portal.operations.edits.edit_start`, and a write kind made of an `EditSpec`'s `write`,
`read_back` and `reconcile` (portal/contacts/handlers.py `contact.update`); urls `<area>:edit`
and `<area>:edit_status`. The template passes `form_url` (create or edit) to the form.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django_htmx.http import HttpResponseClientRedirect, push_url

from portal.core.htmx import render_page
from portal.operations.edits import comparison
from portal.operations.forms import WriteForm, reopen_form
from portal.operations.models import Operation, OperationState
from portal.organizations.http import OrgRequest

REGION = "write-region"


@dataclass(frozen=True)
class WritePage:
    """One feature's write page: its template, form and operation kind."""

    template: str
    form_class: type[WriteForm]
    kind: str
    # Where the operation's input keeps the Lexware JSON the form made ("contact").
    input_key: str
    # Edit pages: JSON paths compared as one value in the conflict view (EditSpec.atomic).
    atomic: tuple[str, ...] = ()

    def operation(
        self, request: OrgRequest, code: str | uuid.UUID, *, target_id: str | None = None
    ) -> Operation:
        """This organization's operation of this kind (about `target_id`, on edit pages);
        anything else (or junk) is a 404."""
        try:
            code = uuid.UUID(str(code))
        except ValueError:
            raise Http404("no such operation") from None
        filters = {} if target_id is None else {"target_id": target_id}
        return get_object_or_404(
            Operation, organization=request.organization, kind=self.kind, code=code, **filters
        )

    def form(self, request: OrgRequest, *, target_id: str | None = None) -> WriteForm:
        """A fresh form, or with `?from=<operation code>` the form reopened from that operation."""
        source = request.GET.get("from")
        if source:
            return reopen_form(
                self.form_class,
                self.operation(request, source, target_id=target_id),
                input_key=self.input_key,
            )
        return self.form_class()

    def edit_form(
        self, request: OrgRequest, record: Mapping[str, Any], *, target_id: str
    ) -> WriteForm:
        """An edit page's form: the mirror's record with its version, or with `?from=<code>`
        the user's input from that operation about the same record (after a conflict: based
        on the version Lexware holds now)."""
        if request.GET.get("from"):
            return self.form(request, target_id=target_id)
        return self.form_class.from_record(record)

    def submitted_form(
        self, request: OrgRequest, *, editing: bool = False
    ) -> tuple[WriteForm, bool]:
        """The posted form, and whether it only asked to add or remove a row (then it is shown
        again with the rows changed, and no write starts)."""
        changed = self.form_class.with_row_action(request.POST, editing=editing)
        if changed is not None:
            return changed, True
        return self.form_class(request.POST, editing=editing), False

    def render_form(
        self, request: OrgRequest, form: WriteForm, context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return render_page(
            request, self.template, {**(context or {}), "form": form}, partial=REGION
        )

    def started(
        self,
        request: OrgRequest,
        operation: Operation,
        *,
        status_url: str,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """The answer to a valid submission: the status in place (htmx) or the status page.
        The address bar shows the status URL either way, so a reload does not lose the job."""
        if request.htmx:
            response = self.status(request, operation, status_url=status_url, context=context)
            if "HX-Redirect" not in response:
                push_url(response, status_url)
            return response
        return redirect(status_url)

    def status(
        self,
        request: OrgRequest,
        operation: Operation,
        *,
        status_url: str,
        context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        context = dict(context or {})
        if operation.state == OperationState.SUCCEEDED:
            url = operation.result_url()
            if url:
                return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        conflict = operation.conflict
        if conflict:
            context.update(
                operation=operation,
                conflict=conflict,
                comparison=comparison(
                    mine=operation.input.get(self.input_key) or {},
                    remote=conflict["remote"],
                    label=self.form_class.label_for_path,
                    atomic=self.atomic,
                    show=self.form_class.show_value,
                    position=self.form_class.path_position,
                ),
            )
            return render_page(request, self.template, context, partial=REGION)
        if operation.state == OperationState.FAILED:
            return self.render_form(
                request, reopen_form(self.form_class, operation, input_key=self.input_key), context
            )
        context.update(operation=operation, status_url=status_url)
        return render_page(request, self.template, context, partial=REGION)
