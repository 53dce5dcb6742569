# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a site build reads, its digest, and the build made only when the digest says it is needed.

Private to the frontend module. Rendering every page in every language was the largest part of the
frontend module's CPU on a run that changes nothing (py-spy of a no-op onboarding: about 0.75 CPU-s of
a creator with every feature). The build is deterministic (build.py: the same theme and `site` give the
same bytes), so the digest of its inputs stands for the site: the publisher records it in the site
manifest, and when the next run's digest is the same and the bucket still holds what that publication
uploaded, nothing is rendered at all (publish.py, `unchanged_publication`).

The digest covers everything the output depends on: the theme's templates, assets and i18n texts, the
inputs of the npm bundles the site's features need, the `site` option, the creator's logo, the source
of the build code, and the jinja2 version. When the source of the build code cannot be read the
digest is None and every run builds, as before.
"""

import functools
import hashlib
import importlib
import json
import os
from pathlib import Path

try:
    import jinja2
except ImportError:
    JINJA2_VERSION = None
else:
    JINJA2_VERSION = jinja2.__version__

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import scripts

# Change it when the digest's layout changes, so that no old digest matches a new one by accident.
DIGEST_LAYOUT = "1"
THEME_PARTS = ("templates", "assets", "i18n")
_PREFIX = "ansible_collections.creatorcloud.platform.plugins.module_utils."
# The code whose output the site is: a change to any of them builds every site again.
BUILD_CODE = tuple(
    _PREFIX + name
    for name in (
        "slices.frontend.build",
        "slices.frontend.scripts",
        "slices.frontend.build_inputs",
        "core.site_config",
        "core.creator_config",
    )
)


class SiteBuild:
    """A creator's site: the digest of its inputs at once, the files (the costly part) only when asked."""

    def __init__(self, digest, render):
        self.digest = digest
        self._render = render
        self._files = None

    @classmethod
    def from_theme(cls, theme_dir, site, scripts_cache_dir=build.SCRIPTS_CACHE_DIR):
        """Checks the theme and `site` first (SiteBuildError names every problem), then digests them."""
        build.check_site(theme_dir, site)
        digest = inputs_digest(theme_dir, site)
        return cls(digest, lambda: build.build_site(theme_dir, site, scripts_cache_dir))

    @classmethod
    def prebuilt(cls, files):
        """Files built elsewhere ({key: SiteFile}): no digest, so a publication of them always compares files."""
        return cls(None, lambda: files)

    @property
    def built(self):
        return self._files is not None

    def files(self):
        """Every object of the site by its key, rendered on the first call."""
        if self._files is None:
            self._files = self._render()
        return self._files


def inputs_digest(theme_dir, site):
    """The sha256 of everything `build.build_site(theme_dir, site)` reads, or None when the code is unreadable."""
    code = code_digest()
    if code is None:
        return None
    digest = hashlib.sha256(f"{DIGEST_LAYOUT}\0{JINJA2_VERSION}\0{code}\0".encode())
    digest.update(json.dumps(site, sort_keys=True, default=str).encode() + b"\0")
    for path in theme_files(theme_dir):
        update_with_file(digest, os.path.relpath(path, theme_dir), path)
    logo = (site.get("branding") or {}).get("logo")
    if logo:
        update_with_file(digest, "logo", logo)
    if scripts.needed_bundles(site.get("features") or []):
        digest.update(scripts.inputs_key(Path(theme_dir)).encode())
    return digest.hexdigest()


def theme_files(theme_dir):
    """Every file below the theme's templates, assets and i18n, in a fixed order."""
    paths = []
    for part in THEME_PARTS:
        for directory, subdirectories, names in os.walk(os.path.join(theme_dir, part)):
            subdirectories.sort()
            paths.extend(os.path.join(directory, name) for name in sorted(names))
    return paths


def update_with_file(digest, name, path):
    with open(path, "rb") as stream:
        digest.update(name.encode() + b"\0" + stream.read() + b"\0")


@functools.cache
def code_digest():
    """The sha256 of the build code's source (BUILD_CODE), once per process; None when a source is unreadable.

    Read through each module's loader, so it works both from files (in the worker) and from the
    AnsiballZ zip (the module path).
    """
    digest = hashlib.sha256()
    for name in BUILD_CODE:
        loader = getattr(importlib.import_module(name), "__loader__", None)
        try:
            source = loader.get_source(name) if loader is not None else None
        except (ImportError, OSError):
            source = None
        if source is None:
            return None
        # Ansible's collection loader answers bytes, the file and zip loaders str.
        source = source if isinstance(source, bytes) else source.encode()
        digest.update(name.encode() + b"\0" + source + b"\0")
    return digest.hexdigest()
