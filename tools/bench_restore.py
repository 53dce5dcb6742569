# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: the restore drill's recovery time, measured by running the drill itself.

Runs tests/integration/test_restore_drill.py's drill (onboard creator1 on the emulator, a fan's
profile through the gateway, backup.yml, the profile erased, restore.yml --check, restore.yml,
GET /api/me served from the restored table, restore.yml again) and prints the figures the drill
measured: backup.yml, the dry run, restore.yml, the recovery time (restore.yml start to the
backend serving the data), the second restore.yml and its API calls. Prints a table and JSON.
"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DRILL = (
    "tests/integration/test_restore_drill.py"
    "::test_the_restore_drill_brings_back_a_deleted_profile_and_the_backend_serves_it"
)
FIGURES_PREFIX = "restore drill figures: "


def run_drill():
    """The figures the drill printed; fails with the drill's output when it did not pass."""
    command = [sys.executable, "-m", "pytest", DRILL, "-q", "-s", "-p", "no:xdist", "-p", "no:cacheprovider"]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith(FIGURES_PREFIX)]
    if completed.returncode != 0 or not lines:
        sys.exit(f"the restore drill failed:\n{completed.stdout[-4000:]}\n{completed.stderr[-2000:]}")
    return json.loads(lines[-1][len(FIGURES_PREFIX) :])


def main():
    figures = run_drill()
    print("restore drill (emulator)")
    for name, value in sorted(figures.items()):
        print(f"  {name:<28} {value}")
    print(json.dumps({"restore_drill": figures}, sort_keys=True))


if __name__ == "__main__":
    main()
