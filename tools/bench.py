# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: cost of a no-op converge against the emulator.

Starts a fresh emulator on a free port, bootstraps the organization, runs the playbook
once to converge, then again and measures that second (no-op) run: wall time, module
starts, AWS read and write calls (from the emulator's call log). Prints JSON and a table.
"""

import argparse
import collections
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tests"))

from playbook_runner import run  # noqa: E402

from creatorcloud_emulator import launcher  # noqa: E402

# Actions that run on the controller without starting a module process.
CONTROLLER_ACTIONS = frozenset(
    "ansible.builtin." + name
    for name in (
        "debug",
        "set_fact",
        "assert",
        "meta",
        "validate_argument_spec",
        "fail",
        "include_role",
        "include_tasks",
        "import_role",
        "import_tasks",
        "add_host",
        "group_by",
        "set_stats",
        "pause",
    )
)


def module_starts(playbook_run):
    """Task results, over every host, that started a module process."""
    starts = 0
    for play in playbook_run.output.get("plays", []):
        for task in play.get("tasks", []):
            for result in task.get("hosts", {}).values():
                action = result.get("action", "")
                if not action.startswith("ansible.builtin."):
                    action = action if "." in action else "ansible.builtin." + action
                if action not in CONTROLLER_ACTIONS and not result.get("skipped"):
                    starts += 1
    return starts


def call_counts(emulator):
    """AWS reads, writes and calls per operation from the emulator's call log since its last reset."""
    calls = emulator.calls()
    return {
        "aws_read_calls": calls["reads"],
        "aws_write_calls": calls["writes"],
        "calls_by_operation": dict(
            sorted(collections.Counter(f"{c['service']}:{c['operation']}" for c in calls["calls"]).items())
        ),
    }


@contextlib.contextmanager
def fresh_emulator():
    """A new emulator on a free port and the environment for ansible-playbook to use it; stopped on exit."""
    state = Path(tempfile.mkdtemp(prefix="creatorcloud-bench-"))
    emulator = launcher.start(launcher.free_port(), log_path=state / "emulator.log")
    env = dict(os.environ, CREATORCLOUD_AWS_ENDPOINT=emulator.endpoint_url, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    try:
        yield emulator, env
    finally:
        launcher.stop(emulator.pid)


def timed_run(playbook, args, inventory, env, emulator):
    """Run the playbook with an empty call log; (run, wall seconds). A failed run ends the benchmark."""
    emulator.reset_calls()
    started = time.monotonic()
    completed = run(playbook, *args, inventory=inventory, env=env)
    wall = time.monotonic() - started
    if completed.returncode != 0:
        raise SystemExit(f"{playbook} {' '.join(args)} failed:\n{completed.stderr}")
    return completed, wall


def measure(playbook, inventory, limit, env, emulator):
    args = ["-l", limit] if limit else []
    first = run(playbook, *args, inventory=inventory, env=env)
    if first.returncode != 0:
        raise SystemExit(f"the converging run of {playbook} failed:\n{first.stderr}")
    second, wall = timed_run(playbook, args, inventory, env, emulator)
    hosts = sorted(second.stats)
    return {
        "playbook": playbook,
        "inventory": str(inventory),
        "limit": limit,
        "hosts": len(hosts),
        "changed": sum(second.changed(host) for host in hosts),
        "wall_seconds": round(wall, 2),
        "module_starts": module_starts(second),
        **call_counts(emulator),
    }


def table(result):
    rows = [
        ("playbook", result["playbook"]),
        ("hosts", result["hosts"]),
        ("changed (second run)", result["changed"]),
        ("wall time (s)", result["wall_seconds"]),
        ("module starts", result["module_starts"]),
        ("AWS read calls", result["aws_read_calls"]),
        ("AWS write calls", result["aws_write_calls"]),
    ]
    rows += [(f"  {operation}", count) for operation, count in result["calls_by_operation"].items()]
    width = max(len(name) for name, _value in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playbook", default="playbooks/onboard.yml")
    parser.add_argument("--inventory", default="inventories/local")
    parser.add_argument("--limit", default=None)
    parser.add_argument("--bootstrap", default="playbooks/bootstrap_organization.yml")
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args(argv)

    with fresh_emulator() as (emulator, env):
        inventory = REPO / args.inventory
        if args.bootstrap and run(args.bootstrap, inventory=inventory, env=env).returncode != 0:
            raise SystemExit("bootstrapping the organization failed")
        result = measure(args.playbook, inventory, args.limit, env, emulator)
    print(json.dumps(result, indent=2))
    print()
    print(table(result))
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
