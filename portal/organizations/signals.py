from __future__ import annotations

from django.dispatch import Signal

# Sent (inside the verifying worker) when a connection verified OK.
# Arguments: organization, connection, first_time (bool: it was not OK before).
connection_verified = Signal()
