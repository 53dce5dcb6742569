# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: cost of a no-op converge against the emulator, with the slices in the worker and in module processes.

Starts a fresh emulator on a free port, bootstraps the organization, runs the playbook once to
converge, then measures no-op runs on both paths, alternating (``--repeat`` each, medians): wall
time, CPU seconds of ansible-playbook and its workers and module processes, CPU seconds of the
emulator, module calls, AWS read and write calls (from the emulator's call log) in total and per
module, the reads per resource of the creators' accounts, and each slice's wall time. Prints JSON
and a table with the ratio of the paths.
"""

import argparse
import collections
import contextlib
import datetime
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

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


# Calls that no module made: the inventory plugin's, at the start of each run, on the controller.
NOT_A_MODULE = "(inventory)"


def call_counts(emulator):
    """AWS reads, writes and calls per operation and per module from the emulator's call log since its last reset.

    The module of a call is the one its user agent names (creatorcloud_module.py).
    """
    calls = emulator.calls()
    by_module = collections.defaultdict(lambda: {"reads": 0, "writes": 0, "operations": collections.Counter()})
    for call in calls["calls"]:
        counts = by_module[call.get("module") or NOT_A_MODULE]
        counts["reads" if call["kind"] == "read" else "writes"] += 1
        counts["operations"][f"{call['service']}:{call['operation']}"] += 1
    return {
        "aws_read_calls": calls["reads"],
        "aws_write_calls": calls["writes"],
        "calls_by_operation": dict(
            sorted(collections.Counter(f"{c['service']}:{c['operation']}" for c in calls["calls"]).items())
        ),
        "calls_by_module": {
            name: {**counts, "operations": dict(counts["operations"].most_common())}
            for name, counts in sorted(by_module.items())
        },
    }


def creator_resources(endpoint_url, regions=("eu-central-1", "us-east-1")):
    """{creator: resources} in each creator's account: what the tagging API lists in `regions`, and IAM roles.

    The tagging API lists every tagged resource (tables, functions, log groups, alarms, buckets, keys,
    secrets, topics, the user pool, the distribution, ...); IAM roles are global and counted apart;
    the account's own access role is not the creator's.
    """
    import boto3

    management = dict(endpoint_url=endpoint_url, aws_access_key_id="testing", aws_secret_access_key="testing")
    organizations = boto3.client("organizations", region_name="us-east-1", **management)
    sts = boto3.client("sts", region_name="us-east-1", **management)
    counts = {}
    for account in organizations.get_paginator("list_accounts").paginate().build_full_result()["Accounts"]:
        tags = {t["Key"]: t["Value"] for t in organizations.list_tags_for_resource(ResourceId=account["Id"])["Tags"]}
        creator = tags.get("creatorcloud:creator")
        if not creator:
            continue
        role = f"arn:aws:iam::{account['Id']}:role/OrganizationAccountAccessRole"
        credentials = sts.assume_role(RoleArn=role, RoleSessionName="bench")["Credentials"]
        inside = dict(
            endpoint_url=endpoint_url,
            aws_access_key_id=credentials["AccessKeyId"],
            aws_secret_access_key=credentials["SecretAccessKey"],
            aws_session_token=credentials["SessionToken"],
        )
        arns = set()
        for region in regions:
            tagging = boto3.client("resourcegroupstaggingapi", region_name=region, **inside)
            for page in tagging.get_paginator("get_resources").paginate():
                arns.update(item["ResourceARN"] for item in page["ResourceTagMappingList"])
        iam = boto3.client("iam", region_name="us-east-1", **inside)
        roles = iam.get_paginator("list_roles").paginate().build_full_result()["Roles"]
        arns.update(r["Arn"] for r in roles if r["RoleName"] != "OrganizationAccountAccessRole")
        counts[creator] = len(arns)
    return counts


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


# The two ways a module can run (plugins/plugin_utils/in_worker_action.py): the default, and the module process.
PATHS = {"worker": "true", "process": "false"}


def children_cpu_seconds():
    """User and system CPU seconds of every child process this process has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu_seconds(pid):
    """User and system CPU seconds of a running process (the emulator), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class TimedRun(NamedTuple):
    run: object  # playbook_runner.PlaybookRun
    wall: float
    cpu: float  # ansible-playbook and every worker and module process
    emulator_cpu: float
    controller_cpu: float  # ansible-playbook's own process alone (tools/bench_callbacks/controller_cpu.py)


def controller_cpu_env(env, path):
    """`env` with the benchmark callback that writes the controller process's CPU seconds to `path`."""
    enabled = ",".join(name for name in (env.get("ANSIBLE_CALLBACKS_ENABLED"), "controller_cpu") if name)
    return dict(
        env,
        ANSIBLE_CALLBACK_PLUGINS=str(REPO / "tools/bench_callbacks"),
        ANSIBLE_CALLBACKS_ENABLED=enabled,
        CREATORCLOUD_CONTROLLER_CPU_FILE=str(path),
    )


def timed_run(playbook, args, inventory, env, emulator, timeout=600):
    """Run the playbook with an empty call log and measure it (TimedRun); a failed run ends the bench."""
    emulator.reset_calls()
    with tempfile.TemporaryDirectory() as workdir:
        report = Path(workdir) / "controller-cpu.json"
        cpu, emulator_cpu, started = children_cpu_seconds(), process_cpu_seconds(emulator.pid), time.monotonic()
        completed = run(playbook, *args, inventory=inventory, env=controller_cpu_env(env, report), timeout=timeout)
        wall = time.monotonic() - started
        cpu, emulator_cpu = children_cpu_seconds() - cpu, process_cpu_seconds(emulator.pid) - emulator_cpu
        if completed.returncode != 0:
            failures = {host: completed.failure_messages(host) for host in completed.stats if completed.failed(host)}
            raise SystemExit(f"{playbook} {' '.join(args)} failed: {failures}\n{completed.stderr}")
        controller_cpu = json.loads(report.read_text())["controller_cpu_seconds"]
    return TimedRun(completed, wall, cpu, emulator_cpu, controller_cpu)


def slice_seconds(playbook_run):
    """Wall seconds of each module task (over every host), by module name, from the JSON callback's durations."""
    seconds = collections.Counter()
    for play in playbook_run.output.get("plays", []):
        for task in play.get("tasks", []):
            duration = task["task"].get("duration", {})
            for result in task.get("hosts", {}).values():
                action = result.get("action", "")
                if action.startswith("creatorcloud.platform.") and not result.get("skipped") and duration.get("end"):
                    seconds[action.rsplit(".", 1)[1]] += _seconds_between(duration["start"], duration["end"])
    return {name: round(value, 2) for name, value in sorted(seconds.items())}


def _seconds_between(start, end):
    def parse(stamp):
        return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))

    return (parse(end) - parse(start)).total_seconds()


def measure_path(playbook, args, inventory, env, emulator, repeat, path):
    """Median figures of `repeat` no-op runs on one path."""
    runs = [
        timed_run(playbook, args, inventory, dict(env, CREATORCLOUD_IN_WORKER=PATHS[path]), emulator)
        for _run in range(repeat)
    ]
    completed = runs[-1].run
    hosts = sorted(completed.stats)
    return {
        "changed": sum(completed.changed(host) for host in hosts),
        "wall_seconds": round(statistics.median(r.wall for r in runs), 2),
        "cpu_seconds": round(statistics.median(r.cpu for r in runs), 2),
        "controller_cpu_seconds": round(statistics.median(r.controller_cpu for r in runs), 2),
        "emulator_cpu_seconds": round(statistics.median(r.emulator_cpu for r in runs), 2),
        "module_calls": module_starts(completed),
        "slice_seconds": slice_seconds(completed),
        **call_counts(emulator),
    }


def measure(playbook, inventory, limit, env, emulator, repeat=1):
    args = ["-l", limit] if limit else []
    first = run(playbook, *args, inventory=inventory, env=env)
    if first.returncode != 0:
        raise SystemExit(f"the converging run of {playbook} failed:\n{first.stderr}")
    # Alternating, so that a change in the machine's load falls on both paths alike.
    samples = {path: [] for path in PATHS}
    for _round in range(repeat):
        for path in PATHS:
            samples[path].append(measure_path(playbook, args, inventory, env, emulator, 1, path))
    paths = {path: _median_of(results) for path, results in samples.items()}
    resources = creator_resources(emulator.endpoint_url)
    resources = {host: resources[host] for host in sorted(first.stats) if host in resources}
    reads = paths["worker"]["aws_read_calls"]
    return {
        "resources": resources,
        "reads_per_resource": round(reads / sum(resources.values()), 2) if resources else None,
        "playbook": playbook,
        "inventory": str(inventory),
        "limit": limit,
        "hosts": len(first.stats),
        "repeat": repeat,
        "paths": paths,
        "cpu_ratio_worker_to_process": round(paths["worker"]["cpu_seconds"] / paths["process"]["cpu_seconds"], 3),
        "wall_ratio_worker_to_process": round(paths["worker"]["wall_seconds"] / paths["process"]["wall_seconds"], 3),
    }


def _median_of(results):
    """The run with the median CPU seconds of one path's runs."""
    return sorted(results, key=lambda result: result["cpu_seconds"])[len(results) // 2]


def table(result):
    worker, process = result["paths"]["worker"], result["paths"]["process"]
    rows = [
        ("playbook", result["playbook"], ""),
        ("hosts", result["hosts"], ""),
        ("no-op runs per path (median)", result["repeat"], ""),
        ("", "in the worker", "module process"),
        ("changed", worker["changed"], process["changed"]),
        ("wall time (s)", worker["wall_seconds"], process["wall_seconds"]),
        ("CPU time (s)", worker["cpu_seconds"], process["cpu_seconds"]),
        ("  of it the controller process", worker["controller_cpu_seconds"], process["controller_cpu_seconds"]),
        ("emulator CPU time (s)", worker["emulator_cpu_seconds"], process["emulator_cpu_seconds"]),
        ("module calls", worker["module_calls"], process["module_calls"]),
        ("AWS read calls", worker["aws_read_calls"], process["aws_read_calls"]),
        ("AWS write calls", worker["aws_write_calls"], process["aws_write_calls"]),
        ("resources (tagged, IAM roles)", sum(result["resources"].values()), ""),
        ("AWS reads per resource", result["reads_per_resource"], ""),
        ("CPU ratio worker/process", result["cpu_ratio_worker_to_process"], ""),
        ("wall ratio worker/process", result["wall_ratio_worker_to_process"], ""),
        ("wall time per slice (s)", "", ""),
    ]
    rows += [
        (f"  {name}", seconds, process["slice_seconds"].get(name, ""))
        for name, seconds in worker["slice_seconds"].items()
    ]
    rows += [("AWS reads / writes per module (worker)", "", "")]
    rows += [
        (f"  {name}", f"{counts['reads']} / {counts['writes']}", _top_operations(counts["operations"]))
        for name, counts in worker["calls_by_module"].items()
    ]
    rows += [("AWS calls per operation (worker)", "", "")]
    rows += [(f"  {operation}", count, "") for operation, count in worker["calls_by_operation"].items()]
    width = max(len(str(name)) for name, *_values in rows)
    return "\n".join(f"{str(name).ljust(width)}  {str(a).ljust(14)}  {b}" for name, a, b in rows)


def _top_operations(operations, top=3):
    """The module's most frequent operations, as 'DescribeTable 9, ...'."""
    return ", ".join(f"{name.split(':', 1)[1]} {count}" for name, count in list(operations.items())[:top])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playbook", default="playbooks/onboard.yml")
    parser.add_argument("--inventory", default="inventories/local")
    parser.add_argument("--limit", default=None)
    parser.add_argument("--bootstrap", default="playbooks/bootstrap_organization.yml")
    parser.add_argument("--repeat", type=int, default=3, help="no-op runs per path (the median is shown)")
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args(argv)

    with fresh_emulator() as (emulator, env):
        inventory = REPO / args.inventory
        if args.bootstrap and run(args.bootstrap, inventory=inventory, env=env).returncode != 0:
            raise SystemExit("bootstrapping the organization failed")
        result = measure(args.playbook, inventory, args.limit, env, emulator, args.repeat)
    print(json.dumps(result, indent=2))
    print()
    print(table(result))
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
