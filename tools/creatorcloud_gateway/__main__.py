# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m creatorcloud_gateway up|down|status|url|serve`: a creator's site on loopback.

`up --creator creator1` starts the gateway in the background on --port (default: the first
free port from 8080 up, so that several creators can be served at once) and prints its URL;
its state (pid, host, port) and log are `<creator>.json` and `<creator>.log` in --state-dir
(default .gateway/). `down` stops one creator's gateway (--creator) or all of them, `status`
shows what each serves, `url` prints one creator's URL, and `serve` runs one in the foreground. A local HLS
test stream of the creator's channel, when one is written to `<state-dir>/live/<creator>/`, is the playback URL.
With `--stripe-url` (or $CREATORCLOUD_STRIPE_URL) the creator's payments run against the local Stripe stand-in,
which forwards the creator's events to the gateway; `up` and `status` say whether it does.
"""

import argparse
import sys
from pathlib import Path

from creatorcloud_gateway import DEFAULT_PORT
from creatorcloud_gateway import launcher
from creatorcloud_gateway.server import add_server_arguments
from creatorcloud_gateway.server import serve


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m creatorcloud_gateway")
    parser.add_argument("command", choices=["up", "down", "status", "url", "serve"])
    parser.add_argument("--state-dir", default=".gateway")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    if args.command in ("up", "url", "serve") and not args.creator:
        parser.error(f"{args.command} needs --creator")
    state = Path(args.state_dir)
    if args.command == "serve":
        return serve(args)
    if args.command == "up":
        return up(args, state)
    state_files = [state / f"{args.creator}.json"] if args.creator else sorted(state.glob("*.json"))
    running = [path for path in state_files if path.exists()]
    if args.command == "url":
        return url(running)
    if args.command == "down":
        return down(running)
    return status(running)


def up(args, state):
    """Start the creator's gateway unless it already runs; print its URL and what it serves."""
    state_file = state / f"{args.creator}.json"
    if state_file.exists():
        gateway = launcher.Gateway.load(state_file)
        current = gateway.status() or {}
        if current.get("creator") == args.creator:
            print(f"gateway for {args.creator} already running on {gateway.url}")
            running_stripe = (current.get("payments") or {}).get("stripe_url")
            if (args.stripe_url or None) != running_stripe:
                print(
                    f"  it runs with --stripe-url {running_stripe or '(none)'}, not {args.stripe_url or '(none)'}: "
                    f"to change that, stop it (down --creator {args.creator}) and start it again"
                )
            return report(gateway)
    state.mkdir(parents=True, exist_ok=True)
    log_path = state / f"{args.creator}.log"
    try:
        gateway = launcher.start(
            args.creator,
            args.port or launcher.first_free_port(args.host, DEFAULT_PORT),
            host=args.host,
            endpoint_url=args.endpoint_url,
            log_path=log_path,
            config_ttl=args.config_ttl,
            live_dir=args.live_dir or (state / "live" / args.creator).resolve(),
            stripe_url=args.stripe_url,
        )
    except launcher.GatewayError as e:
        print(f"gateway for {args.creator} did not start: {e}", file=sys.stderr)
        return 1
    gateway.save(state_file)
    print(f"gateway for {args.creator} started (pid {gateway.pid}, log {log_path})")
    return report(gateway)


def report(gateway):
    """Print the URL and what the gateway serves, or why it cannot serve yet (exit 0 either way)."""
    current = gateway.status() or {}
    if "error" in current:
        print(f"  {gateway.creator} at {gateway.url} cannot serve the site yet: {current['error']}")
    else:
        account, distribution = current.get("account_id"), current.get("distribution_id")
        print(f"  {gateway.creator}: account {account}, distribution {distribution}")
        print(f"  buckets: {', '.join(current.get('buckets', []))}")
        api = current.get("api") or {}
        print(f"  api: {api['api_id']}, {api['routes']} routes" if "api_id" in api else f"  api: {api.get('error')}")
    payments = payments_line(current.get("payments") or {})
    if payments:
        print(f"  payments: {payments}")
    if "error" not in current:
        print(f"  open {gateway.url}")
    return 0


def payments_line(payments):
    """What the status says of the creator's payments, in a line (None when there is nothing to say)."""
    stripe_url = payments.get("stripe_url")
    if not stripe_url:
        return payments.get("error")
    if payments.get("webhooks_forwarded"):
        return f"Stripe stand-in {stripe_url}, the creator's events forwarded to {payments.get('webhook_url')}"
    return f"Stripe stand-in {stripe_url}, events not forwarded yet (the gateway retries): {payments.get('error')}"


def down(state_files):
    """Stop the gateways of these state files, each by its own pid."""
    if not state_files:
        print("no gateway running (no state file)")
    for path in state_files:
        gateway = launcher.Gateway.load(path)
        stopped = launcher.stop(gateway.pid)
        path.unlink()
        outcome = "stopped" if stopped else "was not running"
        print(f"gateway for {gateway.creator} (pid {gateway.pid}) {outcome}")
    return 0


def url(state_files):
    """Print the URL of the creator's running gateway alone (for scripts); exit 1 when it does not run."""
    for path in state_files:
        gateway = launcher.Gateway.load(path)
        if gateway.status() is not None:
            print(gateway.url)
            return 0
    print("the creator's gateway is not running: start it with `up`", file=sys.stderr)
    return 1


def status(state_files):
    """Print each gateway's URL and what it serves; exit 1 when one of them does not answer."""
    if not state_files:
        print("no gateway running (no state file)")
        return 1
    code = 0
    for path in state_files:
        gateway = launcher.Gateway.load(path)
        if gateway.status() is None:
            print(f"gateway for {gateway.creator} (pid {gateway.pid}) does not answer on {gateway.url}")
            code = 1
        else:
            report(gateway)
    return code


if __name__ == "__main__":
    sys.exit(main())
