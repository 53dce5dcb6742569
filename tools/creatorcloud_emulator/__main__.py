# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m creatorcloud_emulator up|down|status|calls|mail`: the emulator in the background.

The port comes from --port or CREATORCLOUD_AWS_PORT (default 4566); the pid and log
files live in --state-dir (default .emulator/ in the current directory).
"""

import argparse
import json
import os
import sys
from pathlib import Path

from creatorcloud_emulator import DEFAULT_HOST
from creatorcloud_emulator import DEFAULT_PORT
from creatorcloud_emulator import launcher
from creatorcloud_emulator import mailbox


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m creatorcloud_emulator")
    parser.add_argument("command", choices=["up", "down", "status", "calls", "reset-calls", "mail"])
    parser.add_argument("--to", help="mail: only the mails to this address")
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=int(os.environ.get("CREATORCLOUD_AWS_PORT", DEFAULT_PORT)))
    parser.add_argument("--chat-port", type=int, help="the IVS Chat messaging endpoint's port (default: --port + 1)")
    parser.add_argument("--state-dir", default=".emulator")
    args = parser.parse_args(argv)

    state = Path(args.state_dir)
    pid_path = state / "emulator.pid"
    endpoint = f"http://{args.host}:{args.port}"

    if args.command == "up":
        if launcher.answers(args.host, args.port):
            print(f"emulator already running on {endpoint}")
            return 0
        state.mkdir(parents=True, exist_ok=True)
        emulator = launcher.start(
            args.port, host=args.host, log_path=state / "emulator.log", pid_path=pid_path, chat_port=args.chat_port
        )
        print(f"emulator started on {emulator.endpoint_url} (pid {emulator.pid}, log {state / 'emulator.log'})")
        print(f"IVS Chat messaging endpoint on {emulator.chat_endpoint()}")
        return 0
    if args.command == "down":
        if not pid_path.exists():
            print("emulator not running (no pid file)")
            return 0
        pid = int(pid_path.read_text())
        stopped = launcher.stop(pid)
        pid_path.unlink()
        print(f"emulator stopped (pid {pid})" if stopped else f"emulator (pid {pid}) was not running")
        return 0
    if not launcher.answers(args.host, args.port):
        print(f"emulator not answering on {endpoint}")
        return 1
    emulator = launcher.Emulator(args.host, args.port, pid=0)
    if args.command == "status":
        print(f"emulator running on {endpoint}, IVS Chat messaging endpoint on {emulator.chat_endpoint()}")
    elif args.command == "calls":
        print(json.dumps(emulator.calls(), indent=2))
    elif args.command == "mail":
        print(mailbox.describe_mail(mailbox.fetch_mail(endpoint, args.to)))
    else:
        emulator.reset_calls()
    return 0


if __name__ == "__main__":
    sys.exit(main())
