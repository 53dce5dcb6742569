# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: cost of a no-op rolling update (playbooks/update.yml) over a fleet of small creators.

Starts a fresh emulator, writes an inventory of --creators creators (default $FLEET or 20; the group
variables of tests/integration/inventories/fleet, with every feature of the collection unless
--features website), onboards them, serves each through its local
gateway for the health check, then runs update.yml once per --forks value (waves as wide as
the forks, so that the forks can work) and measures each run: wall time, time per creator,
CPU seconds, module calls, AWS read and write calls (from the emulator's call log). Prints JSON and a table.

Onboarding the fleet is the slow part (every feature, N creators). With --keep the emulator stays up
after the run with the onboarded fleet saved as a snapshot, and its address in
~/.cache/creatorcloud/bench/fleet-<N>-<features>.json; the next run with the same fleet finds it,
restores the snapshot and goes straight to the measurements (pass --fresh to onboard again).
"""

import argparse
import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path

from bench import REPO
from bench import call_counts
from bench import module_starts
from bench import run
from bench import timed_run
from creatorcloud_gateway import launcher as gateway_launcher

from creatorcloud_emulator import launcher

FLEET = REPO / "tests/integration/inventories/fleet"
KEPT_DIR = Path.home() / ".cache/creatorcloud/bench"
# Onboarding 100 creators with every feature takes longer than a test's playbook may.
FLEET_TIMEOUT = 3 * 3600
SNAPSHOT = "fleet-onboarded"


# What the fleet's creators have besides the website when they have every feature (as creator1 of
# inventories/local, with the Stripe stand-in's placeholder keys: no Stripe call happens in a converge).
EVERY_FEATURE = {
    "creator_features": ["website", "auth", "live", "chat", "shop", "membership", "donations"],
    "creator_stripe_secret_key": "sk_test_benchFleetLocalStandInKey0001",
    "creator_stripe_webhook_secret": "whsec_benchFleetLocalStandInSecret0001",
    "creator_currency": "eur",
    "creator_membership_tiers": [{"id": "fan", "name": "Fan", "monthly": 500, "yearly": 5000}],
    "creator_donation_min": 100,
    "creator_donation_max": 100000,
    "creator_chat_blocked_words": ["spoiler"],
    # The health check asks the creator's local gateway for the API too, as inventories/local does.
    "health_check_api_origin": "{{ health_check_site_origin }}",
}


def write_inventory(directory, creators, features="all"):
    """An inventory of `creators` small creators with the fleet inventory's group variables and `features`."""
    hosts = "\n".join(f"    bench{number:02d}:" for number in range(1, creators + 1))
    (directory / "hosts.yml").write_text(f"---\ncreators:\n  hosts:\n{hosts}\n")
    (directory / "group_vars").mkdir()
    (directory / "group_vars" / "all").symlink_to(FLEET / "group_vars" / "all")
    if features == "all":
        # group_vars/creators outranks group_vars/all (variables in hosts.yml would not).
        (directory / "group_vars" / "creators.yml").write_text(json.dumps(EVERY_FEATURE, indent=2) + "\n")
    (directory / "organization.aws_organizations.yml").symlink_to(FLEET / "organization.aws_organizations.yml")
    return directory


def start_gateways(hosts, endpoint_url, state_dir):
    """One gateway per creator, its state file where the inventory looks for it."""
    gateways = []
    for host in hosts:
        gateway = gateway_launcher.start(host, gateway_launcher.free_port(), endpoint_url=endpoint_url)
        gateway.save(state_dir / f"{host}.json")
        gateways.append(gateway)
    return gateways


def measure_update(forks, inventory, env, emulator):
    """One no-op update.yml with `forks` forks and waves of as many creators."""
    args = ["-f", str(forks), "-e", f"update_wave_size={forks}", "-e", "update_backup=false"]
    update, wall, cpu, emulator_cpu, controller_cpu = timed_run(
        "playbooks/update.yml", args, inventory, env, emulator, FLEET_TIMEOUT
    )
    hosts = sorted(update.stats)
    return {
        "playbook": "playbooks/update.yml",
        "forks": forks,
        "hosts": len(hosts),
        "changed": sum(update.changed(host) for host in hosts),
        "wall_seconds": round(wall, 2),
        "seconds_per_creator": round(wall / len(hosts), 2),
        "cpu_seconds": round(cpu, 2),
        "cpu_seconds_per_creator": round(cpu / len(hosts), 2),
        "controller_cpu_seconds": round(controller_cpu, 2),
        "controller_cpu_seconds_per_creator": round(controller_cpu / len(hosts), 2),
        "emulator_cpu_seconds": round(emulator_cpu, 2),
        "module_starts": module_starts(update),
        **call_counts(emulator),
    }


def table(results):
    """One column per forks value."""
    rows = [
        ("forks", "forks"),
        ("creators", "hosts"),
        ("changed (no-op run)", "changed"),
        ("wall time (s)", "wall_seconds"),
        ("per creator (s)", "seconds_per_creator"),
        ("CPU time (s)", "cpu_seconds"),
        ("CPU per creator (s)", "cpu_seconds_per_creator"),
        ("of it the controller process (s)", "controller_cpu_seconds"),
        ("controller per creator (s)", "controller_cpu_seconds_per_creator"),
        ("emulator CPU time (s)", "emulator_cpu_seconds"),
        ("module calls", "module_starts"),
        ("AWS read calls", "aws_read_calls"),
        ("AWS write calls", "aws_write_calls"),
    ]
    width = max(len(label) for label, _key in rows)
    return "\n".join(
        f"{label.ljust(width)}  " + "  ".join(str(result[key]).rjust(8) for result in results) for label, key in rows
    )


@contextlib.contextmanager
def fleet_emulator(kept, keep, fresh):
    """(emulator, env, onboarded): the emulator kept by an earlier --keep run with the fleet restored, else a new one.

    On exit the emulator is stopped, unless `keep`: then it stays up and `kept` says where it is.
    """
    emulator = None if fresh else _kept_emulator(kept)
    onboarded = emulator is not None
    if onboarded:
        emulator.restore_state(SNAPSHOT)
    else:
        state = Path(tempfile.mkdtemp(prefix="creatorcloud-bench-"))
        emulator = launcher.start(launcher.free_port(), log_path=state / "emulator.log")
    env = dict(os.environ, CREATORCLOUD_AWS_ENDPOINT=emulator.endpoint_url, ANSIBLE_CONFIG=str(REPO / "ansible.cfg"))
    try:
        yield emulator, env, onboarded
    finally:
        if keep:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_text(json.dumps({"host": emulator.host, "port": emulator.port, "pid": emulator.pid}) + "\n")
            print(f"The emulator with the fleet stays up on {emulator.endpoint_url} ({kept})", file=sys.stderr)
        else:
            launcher.stop(emulator.pid)
            kept.unlink(missing_ok=True)


def _kept_emulator(kept):
    """The emulator that `kept` names, when it still runs and still has the fleet's snapshot; else None."""
    try:
        emulator = launcher.Emulator(**json.loads(kept.read_text()))
        has_snapshot = SNAPSHOT in emulator.snapshot_names()
    except (OSError, ValueError, TypeError):
        return None
    return emulator if has_snapshot else None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--creators", type=int, default=int(os.environ.get("FLEET", "20")))
    parser.add_argument("--features", choices=["all", "website"], default="all")
    parser.add_argument("--forks", type=int, nargs="+", default=[5, 10])
    parser.add_argument("--output", help="also write the JSON result to this file")
    parser.add_argument("--keep", action="store_true", help="leave the emulator with the onboarded fleet up")
    parser.add_argument("--fresh", action="store_true", help="onboard the fleet again even if a kept one exists")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="creatorcloud-bench-update-"))
    (workdir / "inventory").mkdir()
    (workdir / "gateways").mkdir()
    inventory = write_inventory(workdir / "inventory", args.creators, args.features)
    hosts = [f"bench{number:02d}" for number in range(1, args.creators + 1)]
    gateways = []
    kept = KEPT_DIR / f"fleet-{args.creators}-{args.features}.json"
    with fleet_emulator(kept, args.keep, args.fresh) as (emulator, env, onboarded):
        env["CREATORCLOUD_GATEWAY_STATE_DIR"] = str(workdir / "gateways")
        try:
            if not onboarded:
                for playbook in ("playbooks/bootstrap_organization.yml", "playbooks/onboard.yml"):
                    if run(playbook, inventory=inventory, env=env, timeout=FLEET_TIMEOUT).returncode != 0:
                        raise SystemExit(f"{playbook} failed on the benchmark's fleet")
                emulator.save_state(SNAPSHOT)
            gateways = start_gateways(hosts, emulator.endpoint_url, workdir / "gateways")
            results = [measure_update(forks, inventory, env, emulator) for forks in args.forks]
        finally:
            for gateway in gateways:
                gateway_launcher.stop(gateway.pid)
    print(json.dumps(results, indent=2))
    print()
    print(table(results))
    if args.output:
        Path(args.output).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
