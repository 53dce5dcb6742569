# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's third-party scripts: npm packages bundled at build time and served from the creator's domain.

Private to the frontend module (through build.py). files/frontend/package.json and its
package-lock.json pin the packages (the official IVS Chat client, hls.js, qrcode-generator for the
tickets' QR codes, and esbuild to bundle them); files/frontend/scripts/<name>.entry.js says what
each bundle exposes to the site's classic scripts. The bundles are built once per content of those
files with `npm ci` and esbuild in a cache directory (the same inputs give the same bytes, so the
content-hashed asset names and the uploads stay unchanged), and only for the features that use
them: a site without live, chat or events never needs Node.js.
"""

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Bundle name (as `asset()` knows it) → the feature that needs it and its esbuild entry in scripts/.
BUNDLES = {
    "chat-client.js": ("chat", "chat-client.entry.js"),
    "hls.js": ("live", "hls.entry.js"),
    "qrcode.js": ("events", "qrcode.entry.js"),
}
LOCK_FILES = ("package.json", "package-lock.json")
# Part of the cache key: change it whenever the way the bundles are built changes.
BUILD_LAYOUT = "1"
ESBUILD_OPTIONS = (
    "--bundle",
    "--format=iife",
    "--minify",
    "--target=es2020",
    "--legal-comments=eof",
    "--log-level=error",
)
STDERR_TAIL_LINES = 8
NODE_HINT = "Node.js 18 or newer with npm (Debian: apt-get install nodejs npm; `make node` does it)"


class SiteScriptsError(Exception):
    """The bundles could not be built; the message names what failed (the command and its stderr tail)."""


def needed_bundles(features):
    """The bundle names that a site with `features` loads, sorted."""
    return sorted(name for name, (feature, _entry) in BUNDLES.items() if feature in features)


def bundled_scripts(theme_dir, features, cache_dir, run=subprocess.run):
    """Each needed bundle's bytes by name: from the cache when its inputs are unchanged, else built into it."""
    names = needed_bundles(features)
    if not names:
        return {}
    theme = Path(theme_dir)
    bundle_dir = Path(cache_dir).expanduser() / inputs_key(theme)
    bundles = cached_bundles(bundle_dir)
    if bundles is None:
        build_bundles(theme, bundle_dir, run)
        bundles = cached_bundles(bundle_dir)
    if bundles is None:
        raise SiteScriptsError(f"the script cache {bundle_dir} is incomplete after the build: remove it")
    return {name: bundles[name] for name in names}


def inputs_key(theme):
    """The SHA-256 of everything the bundles are built from: the lock files, the entries, the build layout."""
    digest = hashlib.sha256(BUILD_LAYOUT.encode())
    for path in input_files(theme):
        digest.update(str(path.relative_to(theme)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def input_files(theme):
    """The files the bundles are built from, in a fixed order; each must exist."""
    paths = [theme / name for name in LOCK_FILES] + [theme / "scripts" / entry for _feature, entry in BUNDLES.values()]
    missing = [str(path.relative_to(theme)) for path in paths if not path.is_file()]
    if missing:
        raise SiteScriptsError(f"the theme {theme} lacks {', '.join(missing)}: its scripts cannot be bundled")
    return paths


def cached_bundles(bundle_dir):
    """Every bundle's bytes from a complete cache directory, else None."""
    try:
        return {name: (bundle_dir / name).read_bytes() for name in BUNDLES}
    except OSError:
        return None


def build_bundles(theme, bundle_dir, run):
    """npm ci and esbuild in a private directory, then move the bundles into place.

    Parallel hosts of one playbook build at the same time: each builds on its own and the first
    complete directory wins, so nobody reads a half-written bundle.
    """
    bundle_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{bundle_dir.name[:16]}-", dir=bundle_dir.parent))
    try:
        work = staging / "work"
        (work / "scripts").mkdir(parents=True)
        for name in LOCK_FILES:
            shutil.copyfile(theme / name, work / name)
        for _feature, entry in BUNDLES.values():
            shutil.copyfile(theme / "scripts" / entry, work / "scripts" / entry)
        # --ignore-scripts: no package's install script runs on the controller (esbuild works without its own).
        npm(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], work, run)
        output = staging / "bundles"
        output.mkdir()
        for name, (_feature, entry) in sorted(BUNDLES.items()):
            esbuild = [str(work / "node_modules" / "esbuild" / "bin" / "esbuild"), f"scripts/{entry}"]
            npm([*esbuild, *ESBUILD_OPTIONS, f"--outfile={output / name}"], work, run)
        (output / "bundles.json").write_text(json.dumps(sorted(BUNDLES), indent=1) + "\n")
        with contextlib.suppress(OSError):
            # Failing means a parallel build moved its own complete directory in first: that one is used.
            os.replace(output, bundle_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def npm(command, cwd, run):
    """Run one build command; a missing Node.js or a failing command raises SiteScriptsError naming it."""
    try:
        result = run(command, cwd=str(cwd), capture_output=True, text=True, check=False)
    except OSError as e:
        raise SiteScriptsError(
            f"bundling the site's scripts needs {NODE_HINT}: running {command[0]} failed: {e}"
        ) from e
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout or "").strip().splitlines()[-STDERR_TAIL_LINES:])
        shown = " ".join(Path(part).name if os.sep in part else part for part in command[:3])
        raise SiteScriptsError(f"bundling the site's scripts failed: {shown} exited with {result.returncode}: {tail}")
    return result
