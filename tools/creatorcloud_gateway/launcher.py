# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start a creator's gateway in the background, wait until it answers, stop it by its pid."""

import json
import socket
import sys
import urllib.error
import urllib.request
from dataclasses import asdict
from dataclasses import dataclass
from pathlib import Path

from creatorcloud_emulator.launcher import free_port
from creatorcloud_emulator.launcher import start_detached
from creatorcloud_emulator.launcher import stop
from creatorcloud_gateway import DEFAULT_HOST
from creatorcloud_gateway import default_endpoint
from creatorcloud_gateway.app import STATUS_PATH

__all__ = ["Gateway", "GatewayError", "answers", "first_free_port", "free_port", "start", "stop"]


class GatewayError(RuntimeError):
    """The gateway did not start."""


@dataclass(frozen=True)
class Gateway:
    """A running gateway: the creator it serves, where it listens and which process it is."""

    creator: str
    host: str
    port: int
    pid: int

    @property
    def url(self):
        return f"http://{self.host}:{self.port}/"

    def status(self):
        """What the gateway serves: account, distribution, buckets; or `error` when it cannot serve."""
        return answers(self.host, self.port)

    def save(self, path):
        """Write the state file that `down` and `status` read."""
        Path(path).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path):
        return cls(**json.loads(Path(path).read_text()))


def first_free_port(host, start_port, attempts=100):
    """The first port from `start_port` up that nothing listens on, so a second creator gets the next one."""
    for port in range(start_port, start_port + attempts):
        with socket.socket() as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise GatewayError(f"no free port in {start_port}..{start_port + attempts - 1} on {host}")


def answers(host, port):
    """The gateway's status (a dict) when a gateway answers on host:port, else None."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{STATUS_PATH}", timeout=5) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as e:  # 503: running, but the creator's site is not there yet
        try:
            return json.loads(e.read())
        except ValueError:
            return None
    except (OSError, ValueError):
        return None


def start(
    creator,
    port,
    host=DEFAULT_HOST,
    endpoint_url=None,
    log_path=None,
    config_ttl=None,
    timeout=30,
    live_dir=None,
    stripe_url=None,
):
    """Start the gateway of `creator` as a detached process and wait until it answers.

    The emulator's endpoint defaults to $CREATORCLOUD_AWS_ENDPOINT, else http://127.0.0.1:4566.
    `live_dir` is where a local HLS test stream of the creator's channel is written (see live_stream.py).
    `stripe_url` is the local Stripe stand-in the creator's payments use (default: $CREATORCLOUD_STRIPE_URL,
    else none); see payments.py.
    """
    endpoint_url = endpoint_url or default_endpoint()
    running = answers(host, port)
    if running is not None:  # else the wait below would take the other gateway for ours
        raise GatewayError(f"a gateway for {running.get('creator')} already answers on {host}:{port}")
    command = [sys.executable, "-m", "creatorcloud_gateway.server", "--creator", creator]
    command += ["--host", host, "--port", str(port), "--endpoint-url", endpoint_url]
    if config_ttl is not None:
        command += ["--config-ttl", str(config_ttl)]
    if live_dir is not None:
        command += ["--live-dir", str(live_dir)]
    if stripe_url:
        command += ["--stripe-url", stripe_url]
    pid = start_detached(
        command,
        lambda: answers(host, port) is not None,
        log_path=log_path,
        timeout=timeout,
        name=f"the gateway for {creator} on {host}:{port}",
        error=GatewayError,
    )
    return Gateway(creator=creator, host=host, port=port, pid=pid)
