# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook from the checkout and read its results (ansible.posix.json callback)."""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ANSIBLE_PLAYBOOK = Path(sys.executable).parent / "ansible-playbook"


@dataclass
class PlaybookRun:
    """The outcome of one ansible-playbook run."""

    returncode: int
    output: dict
    stderr: str

    @property
    def stats(self):
        return self.output.get("stats", {})

    def changed(self, host):
        return self.stats.get(host, {}).get("changed", 0)

    def failed(self, host):
        return self.stats.get(host, {}).get("failures", 0) + self.stats.get(host, {}).get("unreachable", 0)

    def results(self, host, action=None):
        """Every task result of a host, optionally only those of one module."""
        found = []
        for play in self.output.get("plays", []):
            for task in play.get("tasks", []):
                result = task.get("hosts", {}).get(host)
                if result is not None and (action is None or result.get("action") == action):
                    found.append(result)
        return found

    def failure_messages(self, host):
        return [r.get("msg", "") for r in self.results(host) if r.get("failed")]


def run(playbook, *args, inventory=None, env=None, timeout=600):
    """Run a playbook with the JSON callback; returns a :class:`PlaybookRun` (TimeoutExpired after `timeout` s)."""
    env = dict(env or {})
    env.update(ANSIBLE_STDOUT_CALLBACK="ansible.posix.json", ANSIBLE_LOAD_CALLBACK_PLUGINS="1")
    target = playbook if "/" not in playbook else str(REPO / playbook)  # a path, or a collection playbook's name
    command = [str(ANSIBLE_PLAYBOOK), target, "-i", str(inventory or REPO / "inventories/local"), *args]
    completed = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    try:
        output = json.loads(completed.stdout[completed.stdout.index("{") :])
    except ValueError as e:
        raise AssertionError(
            f"no JSON from {' '.join(command)} (exit {completed.returncode}):\n{completed.stdout}\n{completed.stderr}"
        ) from e
    return PlaybookRun(completed.returncode, output, completed.stderr)
