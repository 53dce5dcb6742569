# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the stand-in in the background, wait until it answers, stop it by its pid (also a pytest fixture's)."""

import json
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from creatorcloud_emulator.launcher import free_port
from creatorcloud_emulator.launcher import start_detached
from creatorcloud_emulator.launcher import stop
from creatorcloud_stripe import DEFAULT_HOST
from creatorcloud_stripe import LOCAL_PREFIX

__all__ = ["StandInError", "StripeStandInProcess", "answers", "free_port", "start", "stop"]


class StandInError(RuntimeError):
    """The stand-in did not start."""


@dataclass(frozen=True)
class StripeStandInProcess:
    """A running stand-in: where it listens and which process it is."""

    host: str
    port: int
    pid: int

    @property
    def url(self):
        """The base URL: `stripe.api_base` for the backend, and the origin of the checkout pages."""
        return f"http://{self.host}:{self.port}"

    def stop(self):
        """Stop the process; True when it was running."""
        return stop(self.pid)


def answers(host, port):
    """The stand-in's status (a dict) when it answers on host:port, else None."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}{LOCAL_PREFIX}", timeout=2) as response:
            return json.loads(response.read())
    except (OSError, urllib.error.URLError, ValueError):
        return None


def start(port, host=DEFAULT_HOST, log_path=None, pid_path=None, retry_delays=None, timeout=30):
    """Start the stand-in as a detached process and wait until it answers.

    `retry_delays` (seconds) space the retries of failed webhook deliveries; tests pass short ones.
    """
    if answers(host, port) is not None:
        raise StandInError(f"a Stripe stand-in already answers on {host}:{port}")
    command = [sys.executable, "-m", "creatorcloud_stripe.server", "--host", host, "--port", str(port)]
    if retry_delays is not None:
        command += ["--retry-delays", ",".join(str(delay) for delay in retry_delays)]
    pid = start_detached(
        command,
        lambda: answers(host, port) is not None,
        log_path=log_path,
        timeout=timeout,
        name=f"the Stripe stand-in on {host}:{port}",
        error=StandInError,
    )
    if pid_path:
        Path(pid_path).write_text(f"{pid}\n")
    return StripeStandInProcess(host=host, port=port, pid=pid)
