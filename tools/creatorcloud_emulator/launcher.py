# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the emulator in the background, wait until it answers, stop it by its pid."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from creatorcloud_emulator import DEFAULT_HOST

TOOLS_DIR = Path(__file__).resolve().parent.parent


class EmulatorError(RuntimeError):
    """The emulator did not start, or did not stop."""


@dataclass(frozen=True)
class Emulator:
    """A running emulator: where it listens and which process it is."""

    host: str
    port: int
    pid: int
    chat_port: int | None = None

    @property
    def endpoint_url(self):
        return f"http://{self.host}:{self.port}"

    def chat_endpoint(self):
        """The IVS Chat messaging endpoint's URL, as the emulator reports it (ws://host:port)."""
        return _request_json(f"{self.endpoint_url}/_creatorcloud/chat")["endpoint"]

    def calls(self):
        """The call log: {'reads': n, 'writes': n, 'calls': [{service, operation, kind, region, account, module}]}."""
        return _request_json(f"{self.endpoint_url}/_creatorcloud/calls")

    def reset_calls(self):
        return _request_json(f"{self.endpoint_url}/_creatorcloud/calls", method="DELETE")

    def throttle(self, every, operations=()):
        """Answer every `every`-th AWS call (of `operations`, or of all) with the service's throttling error."""
        document = json.dumps({"throttle_every": every, "operations": list(operations)}).encode()
        return _request_json(f"{self.endpoint_url}/_creatorcloud/faults", method="PUT", data=document)

    def stop_throttling(self):
        """Answer every call again; returns how many were throttled."""
        return _request_json(f"{self.endpoint_url}/_creatorcloud/faults", method="DELETE")["throttled"]

    def reset_state(self):
        """Forget every resource in every account (moto's reset); answer every call again."""
        _request_json(f"{self.endpoint_url}/moto-api/reset", method="POST")
        self.stop_throttling()
        self.reset_calls()

    def save_state(self, name):
        """Save every account's resources under `name` (see snapshots.py)."""
        return _request_json(f"{self.endpoint_url}/_creatorcloud/snapshots/{name}", method="POST", timeout=60)

    def snapshot_names(self):
        """The names of the saved snapshots."""
        return _request_json(f"{self.endpoint_url}/_creatorcloud/snapshots")["snapshots"]

    def restore_state(self, name):
        """Make every account's resources what they were when `name` was saved, with an empty call log."""
        _request_json(f"{self.endpoint_url}/_creatorcloud/snapshots/{name}/restore", method="POST", timeout=60)
        self.reset_calls()


def _request_json(url, method="GET", timeout=10, data=None):
    request = urllib.request.Request(url, method=method, data=data)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read() or b"{}")


def free_port(host=DEFAULT_HOST):
    """A TCP port that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(port, host=DEFAULT_HOST):
    """True when nothing listens on host:port now."""
    with socket.socket() as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
        return True


def answers(host, port):
    """True when an emulator answers on host:port."""
    try:
        _request_json(f"http://{host}:{port}/_creatorcloud/calls", timeout=2)
        return True
    except (OSError, urllib.error.URLError, ValueError):
        return False


def start(port, host=DEFAULT_HOST, log_path=None, pid_path=None, timeout=60, chat_port=None):
    """Start the emulator as a detached process and wait until it answers.

    The chat messaging endpoint listens on `chat_port`, by default port + 1, or any free port
    when that one is taken (parallel test workers each start an emulator on a free port).
    """
    if chat_port is None:
        chat_port = port + 1 if port_is_free(port + 1, host) else free_port(host)
    command = [sys.executable, "-m", "creatorcloud_emulator.server", "--host", host, "--port", str(port)]
    command += ["--chat-port", str(chat_port)]
    pid = start_detached(
        command,
        lambda: answers(host, port),
        log_path=log_path,
        timeout=timeout,
        name=f"the emulator on {host}:{port}",
        error=EmulatorError,
        environment={"MOTO_ACM_VALIDATION_WAIT": "0"},
    )
    if pid_path:
        Path(pid_path).write_text(f"{pid}\n")
    return Emulator(host=host, port=port, pid=pid, chat_port=chat_port)


def start_detached(command, ready, log_path=None, timeout=30, name="the process", error=RuntimeError, environment=None):
    """Start `command` (a `python -m` of a package in tools/) in a session of its own and wait until `ready()`.

    Returns the pid. The process outlives the caller (make aws-up, the gateways, the Stripe stand-in);
    its output goes to `log_path`. One that exits or does not get ready within `timeout` seconds
    raises `error` naming it (and is stopped).
    """
    env = dict(os.environ, **(environment or {}))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TOOLS_DIR), env.get("PYTHONPATH")]))
    with open(log_path or os.devnull, "ab") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, start_new_session=True
        )
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            raise error(f"{name} exited with code {process.returncode}; see {log_path or 'its output'}")
        if time.monotonic() > deadline:
            stop(process.pid)
            raise error(f"{name} did not answer within {timeout}s")
        time.sleep(0.1)
    return process.pid


def stop(pid, timeout=10):
    """Stop the emulator process (and its group) by pid; True if it was running."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            pass
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)
    return True
