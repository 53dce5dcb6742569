#!/usr/bin/env bash
# `make galaxy-importer`: the checks Galaxy runs when the collection is published, on the tarball that
# `ansible-galaxy collection build` makes: galaxy.yml and meta/runtime.yml, every plugin's documentation through
# ansible-doc (with amazon.aws's doc fragments), a README per role, ansible-lint, the changelog. ansible-test is
# left to our own sanity step (tools/ansible_test_sanity.sh), as the importer's default configuration does.
# galaxy-importer reports most findings as log lines and still exits 0, so any ERROR or warning line fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
VENV=.venv-galaxy
if [ ! -f "$VENV/.installed" ] || [ requirements-galaxy.txt -nt "$VENV/.installed" ]; then
  test -x "$VENV/bin/python" || "${PYTHON_BOOTSTRAP:-python3.11}" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-galaxy.txt
  touch "$VENV/.installed"
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
.venv/bin/ansible-galaxy collection build --output-path "$build" . >/dev/null
tarball=$(ls "$build"/creatorcloud-platform-*.tar.gz)
log="$build/importer.log"
# ansible-doc and ansible-lint are found on PATH: the importer's venv first.
(cd "$build" && PATH="$REPO/$VENV/bin:$PATH" "$REPO/$VENV/bin/python" -m galaxy_importer.main "$tarball") >"$log" 2>&1 || {
  cat "$log"
  exit 1
}
# The one warning that is expected: our sanity ignore file exists and is empty.
findings=$(grep -E '^(ERROR|WARNING)' "$log" | grep -v 'found ignore-2.19.txt with 0 statement' || true)
if [ -n "$findings" ]; then
  echo "galaxy-importer found problems in $(basename "$tarball"):"
  echo "$findings"
  exit 1
fi
grep -E 'Importer processing completed successfully' "$log"
echo "galaxy-importer passed on $(basename "$tarball")"
