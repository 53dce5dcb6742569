#!/usr/bin/env bash
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# `install_debian_package.sh PROGRAM PACKAGE`: install PACKAGE from the distribution when PROGRAM is
# not on the PATH. The tests use Debian's programs, never a downloaded build: chromium for the
# browser tests (driven by Playwright), ffmpeg for the live page's local test stream. CI runs as
# root on Debian.
set -euo pipefail

PROGRAM=${1:?usage: install_debian_package.sh PROGRAM PACKAGE}
PACKAGE=${2:?usage: install_debian_package.sh PROGRAM PACKAGE}

if command -v "$PROGRAM" >/dev/null; then
    exit 0
fi
if [[ $EUID -ne 0 ]]; then
    echo "$PROGRAM is missing: run 'sudo apt-get install --no-install-recommends $PACKAGE' (or run this script as root)" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$PACKAGE"
command -v "$PROGRAM"
