# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stand-in in the foreground: `python -m creatorcloud_stripe.server --port 12111`."""

import argparse
import logging
import os
import sys

from creatorcloud_stripe import DEFAULT_HOST
from creatorcloud_stripe import DEFAULT_PORT
from creatorcloud_stripe.webhooks import DEFAULT_RETRY_DELAYS

PORT_VARIABLE = "CREATORCLOUD_STRIPE_PORT"


def retry_delays(text):
    """`1,5,25` -> (1.0, 5.0, 25.0): the seconds before each retry of a failed webhook delivery."""
    return tuple(float(delay) for delay in text.split(",") if delay.strip())


def add_server_arguments(parser):
    """The options of the stand-in process, shared with `python -m creatorcloud_stripe`."""
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=int(os.environ.get(PORT_VARIABLE, DEFAULT_PORT)))
    parser.add_argument(
        "--retry-delays",
        type=retry_delays,
        default=DEFAULT_RETRY_DELAYS,
        help="seconds before each retry of a failed webhook delivery, comma-separated (default 1,5,25)",
    )


def serve(args):
    """Serve until interrupted."""
    from werkzeug.serving import run_simple

    from creatorcloud_stripe.app import build_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    print(f"CreatorCloud Stripe stand-in on http://{args.host}:{args.port}", flush=True)
    run_simple(args.host, args.port, build_app(args.retry_delays), threaded=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="A local stand-in for the Stripe API, checkout and webhooks.")
    add_server_arguments(parser)
    return serve(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
