"""gunicorn's access log with customer-link tokens masked (reliability.md L6): every field of
the access line (request line, path, referer) goes through the same redaction as the app's
logs. Used by the image: `gunicorn --logger-class portal.core.gunicorn_logger.RedactingLogger`."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from portal.core.logging import redact


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {
            key: redact(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
