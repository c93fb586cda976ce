"""`python -m lexware.simulator --port 8765 [--seed demo|empty|scale] [--state FILE] …`"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from types import FrameType

from lexware.simulator.app import Simulator
from lexware.simulator.persistence import PeriodicSaver, save_state
from lexware.simulator.server import make_server


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m lexware.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--seed",
        choices=("empty", "demo", "scale"),
        default="demo",
        help="how a new organisation (first use of a key) is seeded",
    )
    parser.add_argument(
        "--scale-size", type=int, default=1000, help="contacts and vouchers for --seed scale"
    )
    parser.add_argument(
        "--scale-contacts",
        type=int,
        default=None,
        help="contacts for --seed scale (default: --scale-size)",
    )
    parser.add_argument("--seed-number", type=int, default=42)
    parser.add_argument(
        "--unknown-route-status",
        type=int,
        choices=(403, 404),
        default=403,
        help="answer to routes that do not exist and were not measured (default 403, §2.1)",
    )
    parser.add_argument(
        "--distance-sales-principle",
        choices=("ORIGIN", "DESTINATION"),
        default=None,
        help="profile distanceSalesPrinciple of seeded organisations (default ORIGIN)",
    )
    parser.add_argument("--state", default=None, help="file to keep the state in across restarts")
    parser.add_argument("--save-interval", type=float, default=30.0)
    parser.add_argument(
        "--rate", type=float, default=2.0, help="requests per second per key (0 = unlimited)"
    )
    parser.add_argument("--burst", type=float, default=2.0, help="token bucket capacity")
    parser.add_argument(
        "--api-keys",
        default=os.environ.get("LEXWARE_SIM_API_KEYS", ""),
        help="comma-separated keys; others get 401 (default: any key)",
    )
    parser.add_argument("--control-token", default=os.environ.get("LEXWARE_SIM_CONTROL_TOKEN"))
    parser.add_argument(
        "--allow-http-callbacks",
        action="store_true",
        help="accept http://127.0.0.1 / localhost webhook callback URLs (demo)",
    )
    parser.add_argument(
        "--no-probe-callbacks", action="store_true", help="skip the HEAD check of callbacks"
    )
    parser.add_argument("--webhook-time-scale", type=float, default=1.0)
    parser.add_argument("--ocr-delay", type=float, default=3.0)
    parser.add_argument(
        "--signing-key", default=None, help="PEM file with the RSA webhook signing key"
    )
    return parser.parse_args(argv)


def _loopback(host: str) -> bool:
    return host in ("localhost", "::1") or host.startswith("127.")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not _loopback(args.host) and not args.control_token:
        # Reachable from other machines, the control API (reset, seed, faults) must not be open.
        print(
            "listening beyond this machine needs --control-token (or LEXWARE_SIM_CONTROL_TOKEN)",
            file=sys.stderr,
        )
        return 2
    signing_key = None
    if args.signing_key:
        with open(args.signing_key, "rb") as handle:
            signing_key = handle.read()
    keys = [k.strip() for k in args.api_keys.split(",") if k.strip()] or None
    sim = Simulator(
        rate=args.rate,
        burst=args.burst,
        seed=args.seed,
        seed_number=args.seed_number,
        scale_size=args.scale_size,
        scale_contacts=args.scale_contacts,
        state_file=args.state,
        api_keys=keys,
        webhook_time_scale=args.webhook_time_scale,
        allow_http_callbacks=args.allow_http_callbacks,
        probe_callbacks=not args.no_probe_callbacks,
        ocr_delay=args.ocr_delay,
        signing_key_pem=signing_key,
        control_token=args.control_token,
        distance_sales_principle=args.distance_sales_principle,
        unknown_route_status=args.unknown_route_status,
    )
    server = make_server(sim, args.host, args.port)
    saver = PeriodicSaver(sim, args.state, args.save_interval) if args.state else None
    if saver:
        saver.start()

    def shutdown(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    host, port = server.server_address[:2]
    host = host.decode() if isinstance(host, bytes) else host
    print(
        f"Lexware simulator on http://{host!s}:{port} (seed={args.seed}, rate={args.rate}/s, "
        f"burst={args.burst}, state={args.state or '-'})",
        flush=True,
    )
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
        if saver:
            saver.stop()
        if args.state:
            save_state(sim, args.state)
        sim.scheduler.stop()
    print("Lexware simulator stopped", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
