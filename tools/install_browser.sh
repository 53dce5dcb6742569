#!/usr/bin/env bash
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# The browser tests drive Debian's chromium through Playwright (no browser download):
# install it from the distribution's packages when it is missing. CI runs as root on Debian.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ -x "$CHROMIUM" ]]; then
    exit 0
fi
if [[ $EUID -ne 0 ]]; then
    echo "chromium is missing: run 'sudo apt-get install --no-install-recommends chromium' (or run this script as root)" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
"$CHROMIUM" --version
