# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m creatorcloud_stripe up|status|down`, as `make stripe-up` runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from creatorcloud_stripe import launcher

TOOLS = Path(__file__).resolve().parents[2] / "tools"


def cli(*args):
    """Run the stand-in's command line from tools/, as the Makefile does."""
    env = {**os.environ, "PYTHONPATH": str(TOOLS)}
    return subprocess.run(
        [sys.executable, "-m", "creatorcloud_stripe", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_up_status_down(tmp_path):
    port = str(launcher.free_port())
    state = ["--state-dir", str(tmp_path / ".stripe"), "--port", port]

    started = cli("up", *state)
    again = cli("up", *state)
    running = cli("status", *state)
    target = ["--url", "http://127.0.0.1:9/", "--webhook-secret", "whsec_x"]
    forwarded = cli("forward", *state, "--secret-key", "sk_test_cli", *target)
    events = cli("events", *state, "--secret-key", "sk_test_cli")
    stopped = cli("down", *state)
    gone = cli("status", *state)

    assert started.returncode == 0 and f"started on http://127.0.0.1:{port}" in started.stdout
    assert "already running" in again.stdout
    assert running.returncode == 0
    assert forwarded.returncode == 0 and json.loads(forwarded.stdout)["url"] == "http://127.0.0.1:9/"
    assert events.returncode == 0 and json.loads(events.stdout)["data"] == []
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert gone.returncode == 1
    assert (tmp_path / ".stripe" / "stripe.log").exists() and not (tmp_path / ".stripe" / "stripe.pid").exists()
