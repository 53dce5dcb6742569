# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The gateway process in the foreground: `python -m creatorcloud_gateway.server --creator creator1`."""

import argparse
import os
import sys

from creatorcloud_gateway import DEFAULT_ENDPOINT
from creatorcloud_gateway import DEFAULT_HOST
from creatorcloud_gateway import DEFAULT_PORT
from creatorcloud_gateway import ENDPOINT_VARIABLE
from creatorcloud_gateway import default_endpoint
from creatorcloud_gateway.creator_site import DEFAULT_CONFIG_TTL
from creatorcloud_gateway.payments import STRIPE_URL_VARIABLE
from creatorcloud_gateway.payments import origin_of


def add_server_arguments(parser):
    """The options of the gateway process, shared with `python -m creatorcloud_gateway`."""
    parser.add_argument("--creator", help="the creator's slug, e.g. creator1")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument(
        "--port", type=int, help=f"default {DEFAULT_PORT}; `up` takes the next free port above it when it is taken"
    )
    parser.add_argument(
        "--endpoint-url",
        default=default_endpoint(),
        help=f"the emulated AWS (default: ${ENDPOINT_VARIABLE} or {DEFAULT_ENDPOINT})",
    )
    parser.add_argument("--role-name", default=None, help="the role assumed in the creator's account")
    parser.add_argument(
        "--config-ttl",
        type=float,
        default=DEFAULT_CONFIG_TTL,
        help="seconds between two reads of the distribution's config (default %(default)s)",
    )
    parser.add_argument(
        "--live-dir",
        default=None,
        help="a directory with a local HLS test stream (index.m3u8 and segments) served as the channel's playback URL",
    )
    parser.add_argument(
        "--stripe-url",
        default=os.environ.get(STRIPE_URL_VARIABLE) or None,
        help=(
            "the local Stripe stand-in (e.g. http://127.0.0.1:12111): the payment functions run against it and it "
            f"forwards the creator's events to the gateway (default: ${STRIPE_URL_VARIABLE}, else none)"
        ),
    )


def serve(args):
    """Serve the creator's site until interrupted."""
    from werkzeug.serving import run_simple

    from creatorcloud_gateway.app import build_app

    port = args.port or DEFAULT_PORT
    app = build_app(
        args.creator,
        args.endpoint_url,
        role_name=args.role_name,
        config_ttl=args.config_ttl,
        live_dir=args.live_dir,
        stripe_url=args.stripe_url,
        origin=origin_of(args.host, port),
    )
    stripe = f", Stripe at {args.stripe_url}" if args.stripe_url else ""
    print(
        f"CreatorCloud gateway for {args.creator} on http://{args.host}:{port} (AWS at {args.endpoint_url}{stripe})",
        flush=True,
    )
    app.payments.start()
    run_simple(args.host, port, app, threaded=True)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve a creator's site from the emulator, like CloudFront.")
    add_server_arguments(parser)
    args = parser.parse_args(argv)
    if not args.creator:
        parser.error("--creator is required")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
