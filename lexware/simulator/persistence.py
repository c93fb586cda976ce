"""`--state FILE`: the organisations, the clock offset and the webhook signing key survive a
restart. Saved atomically (write to a temp file in the same directory, fsync, rename) on
shutdown and periodically by the server. Pickle, because resources hold bytes (files) and the
file is the simulator's own; never load a state file from an untrusted source.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import tempfile
import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from lexware.simulator.state import Tenant

if TYPE_CHECKING:
    from lexware.simulator.app import Simulator

FORMAT_VERSION = 1


def _tenant_state(tenant: Tenant) -> bytes:
    """Pickled under the tenant's lock, so no handler mutates it half-way through."""
    with tenant.lock:
        state = {
            f.name: getattr(tenant, f.name) for f in dataclasses.fields(tenant) if f.name != "lock"
        }
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def snapshot(sim: Simulator) -> bytes:
    with sim._tenants_lock:
        tenants = dict(sim.tenants)
    data = {
        "format": FORMAT_VERSION,
        "tenants": {key: _tenant_state(tenant) for key, tenant in tenants.items()},
        "clock_offset": sim.clock_offset,
        "signing_key_pem": sim.webhooks.signer.private_pem(),
    }
    return pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)


def save_state(sim: Simulator, path: str) -> None:
    payload = snapshot(sim)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".simstate-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def load_state(path: str) -> dict[str, Any] | None:
    if not os.path.exists(path):
        return None
    with open(path, "rb") as handle:
        data = pickle.load(handle)  # noqa: S301 - our own state file
    if not isinstance(data, dict) or data.get("format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a simulator state file of format {FORMAT_VERSION}")
    tenants = {key: Tenant(**pickle.loads(state)) for key, state in data["tenants"].items()}  # noqa: S301
    for tenant in tenants.values():
        # Simulated OCR does not survive a restart: finish it now (without the event).
        for voucher in tenant.vouchers.values():
            if voucher.get("voucherStatus") == "blank":
                voucher["voucherStatus"] = "unchecked"
        for record in tenant.files.values():
            if record.get("status") == "upload_processing":
                record["status"] = "upload_success"
    return {
        "tenants": tenants,
        "clock_offset": data.get("clock_offset", timedelta(0)),
        "signing_key_pem": data.get("signing_key_pem"),
    }


class PeriodicSaver:
    """Saves every `interval` seconds on a daemon thread until stopped."""

    def __init__(self, sim: Simulator, path: str, interval: float = 30.0) -> None:
        self._sim = sim
        self._path = path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lexware-sim-saver", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            save_state(self._sim, self._path)
