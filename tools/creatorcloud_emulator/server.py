# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator process: moto's server app, CreatorCloud's additions and the call log."""

import argparse
import os
import sys

from creatorcloud_emulator import DEFAULT_HOST
from creatorcloud_emulator import DEFAULT_PORT

# Certificates are issued at once; must be set before moto reads its settings.
os.environ.setdefault("MOTO_ACM_VALIDATION_WAIT", "0")


def build_app():
    """moto's dispatcher with the additions registered, behind the call log and the mailbox."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.moto_server.werkzeug_app import create_backend_app

    from creatorcloud_emulator import additions
    from creatorcloud_emulator.call_log import CallLog
    from creatorcloud_emulator.mailbox import MailboxRoute

    additions.register()
    return MailboxRoute(CallLog(DomainDispatcherApplication(create_backend_app)))


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the CreatorCloud AWS emulator in the foreground.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import run_simple

    app = build_app()
    print(f"CreatorCloud AWS emulator listening on http://{args.host}:{args.port}", flush=True)
    run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
