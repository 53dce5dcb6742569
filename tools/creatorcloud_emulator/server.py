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


def build_app(chat_endpoint=None):
    """moto's dispatcher with the additions, behind throttling on demand (faults.py), the call log, the
    mailbox, snapshots and the chat route."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication
    from moto.moto_server.werkzeug_app import create_backend_app

    from creatorcloud_emulator import additions
    from creatorcloud_emulator.call_log import CallLog
    from creatorcloud_emulator.chat_messaging.server import ChatEndpointRoute
    from creatorcloud_emulator.faults import Faults
    from creatorcloud_emulator.mailbox import MailboxRoute
    from creatorcloud_emulator.snapshots import SnapshotsRoute

    additions.register()
    moto = DomainDispatcherApplication(create_backend_app)
    return ChatEndpointRoute(SnapshotsRoute(MailboxRoute(CallLog(Faults(moto)))), chat_endpoint)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Run the CreatorCloud AWS emulator in the foreground.")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--chat-port", type=int, help="the IVS Chat messaging endpoint's port (default: --port + 1)")
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import run_simple

    from creatorcloud_emulator.chat_messaging.server import ChatServer

    chat = ChatServer(args.host, args.chat_port or args.port + 1, f"http://{args.host}:{args.port}")
    chat.start()
    app = build_app(chat.endpoint)
    print(f"CreatorCloud AWS emulator listening on http://{args.host}:{args.port}", flush=True)
    print(f"IVS Chat messaging endpoint listening on {chat.endpoint}", flush=True)
    try:
        run_simple(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)
    finally:
        chat.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
