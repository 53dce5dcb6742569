#!/usr/bin/env bash
# Run the molecule scenarios of the collection (extensions/molecule/) against a private emulator.
# Called by `make molecule`; extra arguments go to `molecule test` (default: -s account).
#
#   1. Starts the AWS emulator on a free loopback port, with its pid and log in a temporary directory,
#      so it never meets the emulator of `make aws-up` (.emulator/, port 4566) or another run.
#   2. Exports CREATORCLOUD_AWS_ENDPOINT, which the scenarios' group_vars hand to every module.
#   3. Runs the venv's `molecule test` from the repository root; molecule finds the scenarios through
#      galaxy.yml (collection mode: extensions/molecule/<scenario>/molecule.yml).
#   4. Stops the emulator and removes the temporary directory on exit, whatever happened.
#
# Nothing is installed: the scenarios set prerun: false and dependency.enabled: false, so neither
# molecule nor ansible-compat calls ansible-galaxy. Molecule's own files (ansible.cfg, inventory, state)
# go to a temporary ephemeral directory, and Ansible's to a temporary ANSIBLE_HOME, both removed on exit.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$repo/.venv"
python="$venv/bin/python"

if [[ ! -x "$venv/bin/molecule" ]]; then
    echo "molecule.sh: $venv/bin/molecule not found; create the virtual environment first (requirements.txt)" >&2
    exit 1
fi
# No __pycache__ in the checkout (tools/creatorcloud_emulator, the collection's plugins).
export PYTHONDONTWRITEBYTECODE=1

work="$(mktemp -d "${TMPDIR:-/tmp}/creatorcloud-molecule.XXXXXX")"
state_dir="$work/emulator"

cleanup() {
    local status=$?
    PYTHONPATH="$repo/tools" "$python" -m creatorcloud_emulator down --state-dir "$state_dir" || true
    if [[ $status -ne 0 && -f "$state_dir/emulator.log" ]]; then
        echo "molecule.sh: the emulator's log follows (last 40 lines)" >&2
        tail -n 40 "$state_dir/emulator.log" >&2 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$("$python" -c 'import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])')"
PYTHONPATH="$repo/tools" "$python" -m creatorcloud_emulator up --port "$port" --state-dir "$state_dir"

export CREATORCLOUD_AWS_ENDPOINT="http://127.0.0.1:$port"
# The venv first on PATH: molecule runs `ansible-playbook` by name. No VIRTUAL_ENV: with it,
# ansible-compat creates an (unused) cache directory .venv/.ansible.
unset VIRTUAL_ENV
export PATH="$venv/bin:$PATH"
export MOLECULE_EPHEMERAL_DIRECTORY="$work/molecule"
export ANSIBLE_HOME="$work/ansible"
export ANSIBLE_LOCAL_TEMP="$work/ansible/tmp"
unset ANSIBLE_CONFIG ANSIBLE_COLLECTIONS_PATH

cd "$repo"
if [[ $# -eq 0 ]]; then
    set -- -s account
fi
"$venv/bin/molecule" test "$@"
