# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m creatorcloud_stripe up|down|status|serve|forward|events`: the local Stripe stand-in.

`up` starts it in the background on --port (default 12111, or $CREATORCLOUD_STRIPE_PORT) with its
pid and log in --state-dir (default .stripe/); `down` stops it by that pid; `status` says whether it
answers; `serve` runs it in the foreground. `forward --secret-key --url --webhook-secret` sends an
account's events to a URL (as `stripe listen --forward-to`), `events [--secret-key]` prints the event log.
"""

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from creatorcloud_stripe import LOCAL_PREFIX
from creatorcloud_stripe import launcher
from creatorcloud_stripe.server import add_server_arguments
from creatorcloud_stripe.server import serve


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m creatorcloud_stripe")
    parser.add_argument("command", choices=["up", "down", "status", "serve", "forward", "events"])
    parser.add_argument("--state-dir", default=".stripe")
    parser.add_argument("--secret-key", help="forward, events: the account (its sk_test_ key)")
    parser.add_argument("--url", help="forward: where the account's events go, e.g. the gateway's /api/stripe/webhook")
    parser.add_argument("--webhook-secret", help="forward: the whsec_ secret the events are signed with")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    state = Path(args.state_dir)
    if args.command == "serve":
        return serve(args)
    if args.command == "up":
        return up(args, state)
    if args.command == "down":
        return down(state / "stripe.pid")
    if args.command in ("forward", "events"):
        return local_command(parser, args)
    running = launcher.answers(args.host, args.port)
    print(f"Stripe stand-in running on http://{args.host}:{args.port}" if running else "Stripe stand-in not answering")
    return 0 if running else 1


def up(args, state):
    """Start the stand-in unless one already answers on the port."""
    url = f"http://{args.host}:{args.port}"
    if launcher.answers(args.host, args.port):
        print(f"Stripe stand-in already running on {url}")
        return 0
    state.mkdir(parents=True, exist_ok=True)
    log_path = state / "stripe.log"
    try:
        running = launcher.start(
            args.port, host=args.host, log_path=log_path, pid_path=state / "stripe.pid", retry_delays=args.retry_delays
        )
    except launcher.StandInError as e:
        print(f"Stripe stand-in did not start: {e}", file=sys.stderr)
        return 1
    print(f"Stripe stand-in started on {running.url} (pid {running.pid}, log {log_path})")
    print(f"  the backend's STRIPE_API_BASE: {running.url}")
    return 0


def local_command(parser, args):
    """`forward` or `events` on the running stand-in; the answer printed as JSON."""
    base = f"http://{args.host}:{args.port}{LOCAL_PREFIX}"
    if args.command == "forward":
        if not (args.secret_key and args.url and args.webhook_secret):
            parser.error("forward needs --secret-key, --url and --webhook-secret")
        body = {"secret_key": args.secret_key, "url": args.url, "webhook_secret": args.webhook_secret}
        request = urllib.request.Request(
            f"{base}/forward", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
    else:
        query = f"?{urllib.parse.urlencode({'secret_key': args.secret_key})}" if args.secret_key else ""
        request = urllib.request.Request(f"{base}/events{query}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            print(json.dumps(json.loads(response.read()), indent=2))
    except urllib.error.HTTPError as e:
        print(f"the Stripe stand-in refused: {e.read().decode()}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"no Stripe stand-in on {base}: {e} (start it with `up`)", file=sys.stderr)
        return 1
    return 0


def down(pid_path):
    """Stop the stand-in started by `up`, by its pid."""
    if not pid_path.exists():
        print("Stripe stand-in not running (no pid file)")
        return 0
    pid = int(pid_path.read_text())
    stopped = launcher.stop(pid)
    pid_path.unlink()
    print(f"Stripe stand-in stopped (pid {pid})" if stopped else f"Stripe stand-in (pid {pid}) was not running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
