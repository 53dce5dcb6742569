#!/usr/bin/env bash
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# The site's live and chat scripts are bundled from npm packages on the controller (files/frontend/
# package-lock.json): that needs Node.js 18 or newer with npm. Install them from the distribution's
# packages when they are missing. CI runs as root on Debian.
set -euo pipefail

MIN_NODE_MAJOR=18

node_major() {
    node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'
}

if command -v npm >/dev/null && [[ "$(node_major)" -ge $MIN_NODE_MAJOR ]] 2>/dev/null; then
    exit 0
fi
if [[ $EUID -ne 0 ]]; then
    echo "Node.js $MIN_NODE_MAJOR+ with npm is missing: run 'sudo apt-get install --no-install-recommends nodejs npm'" \
        "(or run this script as root)" >&2
    exit 1
fi
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
if [[ "$(node_major)" -lt $MIN_NODE_MAJOR ]]; then
    echo "the distribution's Node.js is $(node --version); the site's scripts need $MIN_NODE_MAJOR or newer" >&2
    exit 1
fi
node --version
