# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the Lambda functions' deployment zip: the same source gives the same bytes, so no needless deploy.

Private to the api module. The dependencies pinned in the backend's requirements.txt are
downloaded once as wheels for Lambda's Python on arm64 (pip download, never pip install, so
the controller's own platform does not matter) into a cache directory keyed by the SHA-256 of
requirements.txt. The zip is then assembled here from the wheels' members and the backend
package's files, with fixed dates, permissions and compression, in sorted order: unchanged
source and requirements give a byte-identical zip, hence the same CodeSha256, and the api
module makes no UpdateFunctionCode call. The zip is kept next to the wheels under the SHA-256 of
its inputs, so a run with unchanged source reads it instead of compressing again.
"""

import base64
import contextlib
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

DEFAULT_PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")
PACKAGE = "creatorcloud_backend"
REQUIREMENTS = "requirements.txt"
# Written last into a download directory: its presence means the download is complete.
COMPLETE_MARKER = "download-complete.json"
# Part of the key of a cached zip: change it whenever the way the zip is assembled changes.
PACKAGE_LAYOUT = "1"
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o100644
ZIP_COMPRESS_LEVEL = 6
UNIX_SYSTEM = 3
# Parts of a wheel's .data directory that Python does not import (console scripts, C headers, data files).
SKIPPED_DATA_PARTS = ("scripts", "headers", "data")
SKIPPED_DIRECTORIES = ("__pycache__", "tests")
STDERR_TAIL_LINES = 8
# A manylinux tag's glibc version: manylinux_<major>_<minor>_<arch>, and the legacy aliases.
MANYLINUX_PATTERN = re.compile(r"^manylinux_(\d+)_(\d+)_(\w+)$")
LEGACY_MANYLINUX = {"manylinux2014": (2, 17), "manylinux2010": (2, 12), "manylinux1": (2, 5)}
FAILED_REQUIREMENT_PATTERNS = (
    re.compile(r"No matching distribution found for (\S+)"),
    re.compile(r"Could not find a version that satisfies the requirement (\S+)"),
)


class BackendPackageError(Exception):
    """The package could not be built; the message names what failed (pip's stderr tail, the requirement)."""


class BackendPackage(NamedTuple):
    """A built deployment zip and what Lambda will report about it."""

    zip_bytes: bytes
    code_sha256: str  # base64 of the SHA-256 of zip_bytes: what Lambda reports as CodeSha256
    file_count: int
    dependencies: tuple  # ("aws-lambda-powertools==3.37.0", ...) as resolved, sorted


class WheelTarget(NamedTuple):
    """The interpreter and platforms the wheels must run on."""

    python_version: str
    platforms: tuple

    @property
    def cpython_tag(self):
        """The CPython tag of the version: cp312 for 3.12."""
        return "cp" + self.python_version.replace(".", "")

    def pip_options(self):
        """pip's options that select wheels for this target instead of the controller's interpreter."""
        options = ["--only-binary=:all:", "--implementation", "cp", "--python-version", self.python_version]
        for abi in (self.cpython_tag, "abi3", "none"):
            options += ["--abi", abi]
        for platform in (*self.platforms, "any"):
            options += ["--platform", platform]
        return options


def build_backend_package(
    backend_dir, cache_dir, python_version="3.12", platforms=DEFAULT_PLATFORMS, run=subprocess.run
):
    """The deployment zip of `backend_dir` (package + pinned requirements) for Lambda's Python on arm64.

    `run` runs pip (subprocess.run's signature); tests pass a fake to make pip fail.
    """
    backend = Path(backend_dir)
    requirements = backend / REQUIREMENTS
    if not requirements.is_file():
        raise BackendPackageError(f"{requirements} is missing: the backend's pinned dependencies must be listed there")
    if not (backend / PACKAGE).is_dir():
        raise BackendPackageError(f"{backend / PACKAGE} is missing: it is the package the functions run")
    target = WheelTarget(python_version, tuple(platforms))
    download_dir = Path(cache_dir).expanduser() / hashlib.sha256(requirements.read_bytes()).hexdigest()
    wheels = cached_wheels(requirements, download_dir, target, run)
    for wheel in wheels:
        check_wheel_target(wheel.name, target)
    files = package_members(backend)
    zip_path = download_dir / f"package-{package_key(target, wheels, files)}.zip"
    zip_bytes = cached_zip(zip_path)
    if zip_bytes is None:
        zip_bytes = assembled_zip(wheels, files)
        store_zip(zip_path, zip_bytes)
    return BackendPackage(
        zip_bytes=zip_bytes,
        code_sha256=base64.b64encode(hashlib.sha256(zip_bytes).digest()).decode("ascii"),
        file_count=len(zipfile.ZipFile(io.BytesIO(zip_bytes)).namelist()),
        dependencies=tuple(sorted(wheel_requirement(wheel.name) for wheel in wheels)),
    )


def assembled_zip(wheels, files):
    """The zip of the wheels' importable members and the package's files; a path shipped twice is an error."""
    members = {}
    for wheel in wheels:
        add_members(members, wheel_members(wheel))
    add_members(members, files)
    return deterministic_zip(members)


def package_key(target, wheels, files):
    """The SHA-256 of everything the zip is made of: the layout version, the target, the wheels, the files."""
    digest = hashlib.sha256(f"{PACKAGE_LAYOUT}|{ZIP_COMPRESS_LEVEL}|{marker_target(target)}".encode())
    for wheel in wheels:
        digest.update(f"|{wheel.name}|{hashlib.sha256(wheel.read_bytes()).hexdigest()}".encode())
    for path, _source, data in files:
        digest.update(f"|{path}|{hashlib.sha256(data).hexdigest()}".encode())
    return digest.hexdigest()


def cached_zip(zip_path):
    """The zip built before from the same inputs, or None."""
    try:
        return zip_path.read_bytes()
    except OSError:
        return None


def store_zip(zip_path, zip_bytes):
    """Keep the zip for the next run (written aside, then moved in); drop zips of older sources.

    Best effort: a cache that cannot be written (read-only in an execution environment) only
    means the next run compresses again.
    """
    staged = zip_path.with_name(f".{zip_path.name}.{os.getpid()}")
    try:
        staged.write_bytes(zip_bytes)
        os.replace(staged, zip_path)
    except OSError:
        with contextlib.suppress(OSError):
            staged.unlink()
        return
    for old in zip_path.parent.glob("package-*.zip"):
        if old != zip_path:
            with contextlib.suppress(OSError):
                old.unlink()


def cached_wheels(requirements, download_dir, target, run):
    """The wheels of `requirements` for `target`, sorted: from `download_dir`, else downloaded into it once."""
    wheels = complete_download(download_dir, target)
    if wheels is None:
        download_wheels(requirements, download_dir, target, run)
        wheels = complete_download(download_dir, target)
    if wheels is None:
        raise BackendPackageError(f"the wheel cache {download_dir} is incomplete after pip download: remove it")
    return wheels


def complete_download(download_dir, target):
    """The sorted wheel paths of a complete download for `target` in `download_dir`, else None."""
    try:
        marker = json.loads((download_dir / COMPLETE_MARKER).read_text())
    except (OSError, ValueError):
        return None
    if marker.get("target") != marker_target(target):
        return None
    wheels = [download_dir / name for name in sorted(marker.get("wheels", []))]
    return wheels if all(wheel.is_file() for wheel in wheels) else None


def marker_target(target):
    """The target as the completion marker records it (JSON has no tuples)."""
    return [target.python_version, list(target.platforms)]


def download_wheels(requirements, download_dir, target, run):
    """pip download the wheels into a private directory, then move it into place with its marker.

    Parallel hosts of one playbook build at the same time: each downloads on its own and the
    first complete directory wins, so nobody reads a half-written wheel.
    """
    download_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{download_dir.name}-", dir=download_dir.parent))
    try:
        command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--no-input"]
        command += [*target.pip_options(), "-r", str(requirements), "-d", str(staging)]
        result = run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise BackendPackageError(pip_failure(requirements, target, result.stderr))
        names = sorted(path.name for path in staging.iterdir())
        not_wheels = [name for name in names if not name.endswith(".whl")]
        if not_wheels:
            raise BackendPackageError(f"pip download of {requirements} gave files that are not wheels: {not_wheels}")
        marker = {"target": marker_target(target), "wheels": names}
        (staging / COMPLETE_MARKER).write_text(json.dumps(marker, indent=1))
        replace_download(staging, download_dir, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_download(staging, download_dir, target):
    """Move the staged download into place, unless a parallel build already put a complete one there."""
    if complete_download(download_dir, target) is not None:
        return
    if download_dir.exists():
        # An incomplete or other-target download of the same requirements: make room for ours.
        stale = Path(tempfile.mkdtemp(prefix=f".{download_dir.name}-stale-", dir=download_dir.parent))
        with contextlib.suppress(OSError):
            os.replace(download_dir, stale / "old")
        shutil.rmtree(stale, ignore_errors=True)
    # Failing means another build moved its own complete download in between: that one is used.
    with contextlib.suppress(OSError):
        os.replace(staging, download_dir)


def pip_failure(requirements, target, stderr):
    """The message of a failed pip download: which requirement, for what, and the tail of pip's stderr."""
    requirement = next(
        (match.group(1) for pattern in FAILED_REQUIREMENT_PATTERNS for match in pattern.finditer(stderr or "")),
        None,
    )
    tail = "\n".join((stderr or "").strip().splitlines()[-STDERR_TAIL_LINES:])
    failed = f"requirement {requirement}" if requirement else f"the requirements in {requirements}"
    return (
        f"pip could not download {failed} as wheels for Python {target.python_version} on "
        f"{', '.join(target.platforms)} (Lambda arm64): check the pin, that the version publishes such a wheel, "
        f"and the network to the package index. pip said:\n{tail}"
    )


def wheel_tags(filename):
    """The (distribution, version, python tags, abi tags, platform tags) of a wheel's file name."""
    parts = filename[: -len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise BackendPackageError(f"{filename} is not a wheel file name")
    return parts[0], parts[1], parts[-3].split("."), parts[-2].split("."), parts[-1].split(".")


def manylinux_version(platform):
    """The (glibc major, minor, architecture) of a manylinux platform tag, or None for other tags."""
    match = MANYLINUX_PATTERN.match(platform)
    if match:
        return int(match.group(1)), int(match.group(2)), match.group(3)
    legacy, _sep, architecture = platform.partition("_")
    if legacy in LEGACY_MANYLINUX and architecture:
        return (*LEGACY_MANYLINUX[legacy], architecture)
    return None


def platform_supported(platform, target_platforms):
    """True when a wheel platform tag runs on one of the target platforms (manylinux: same arch, older glibc)."""
    if platform == "any" or platform in target_platforms:
        return True
    wheel = manylinux_version(platform)
    targets = [manylinux_version(target) for target in target_platforms]
    return bool(wheel) and any(target and target[2] == wheel[2] and target[:2] >= wheel[:2] for target in targets)


def interpreter_supported(python_tag, abi, target):
    """True when a wheel's (python tag, abi) pair loads in the target CPython."""
    major, minor = (int(part) for part in target.python_version.split(".")[:2])
    if abi == "none":
        return python_tag in (f"py{major}", f"py{major}{minor}", target.cpython_tag)
    if abi == "abi3":
        stable = re.match(rf"^cp{major}(\d+)$", python_tag)
        return bool(stable) and int(stable.group(1)) <= minor
    return abi == target.cpython_tag and python_tag == target.cpython_tag


def check_wheel_target(filename, target):
    """Refuse a wheel that would not load in Lambda's Python on arm64 (a binary for another CPU or Python)."""
    _dist, _version, python_tags, abis, platforms = wheel_tags(filename)
    loads = any(interpreter_supported(python, abi, target) for python in python_tags for abi in abis)
    if not (loads and any(platform_supported(platform, target.platforms) for platform in platforms)):
        raise BackendPackageError(
            f"{filename} does not run on Python {target.python_version} on {', '.join(target.platforms)} "
            "(Lambda arm64): remove it from the wheel cache and check the pins in requirements.txt"
        )


def wheel_requirement(filename):
    """The pinned requirement a wheel satisfies, with the normalised project name: pydantic-core==2.50.5."""
    dist, version = wheel_tags(filename)[:2]
    return f"{re.sub(r'[-_.]+', '-', dist).lower()}=={version}"


def archive_path_of_wheel_member(name):
    """Where a wheel member goes in the zip: the root for code, None for what Python does not import."""
    if name.endswith("/"):
        return None
    top, _sep, rest = name.partition("/")
    if top.endswith(".data"):
        part, _sep, path = rest.partition("/")
        if part in SKIPPED_DATA_PARTS or not path:
            return None
        return path
    return name


def wheel_members(wheel):
    """The (archive path, source, bytes) of the importable members of a wheel (a wheel is a zip)."""
    members = []
    try:
        with zipfile.ZipFile(wheel) as archive:
            for name in sorted(archive.namelist()):
                path = archive_path_of_wheel_member(name)
                if path:
                    members.append((path, wheel.name, archive.read(name)))
    except zipfile.BadZipFile as e:
        raise BackendPackageError(f"{wheel} is not a valid wheel ({e}): remove it from the wheel cache") from e
    return members


def skipped(path):
    """True for compiled caches and tests of the backend package, which the functions never import."""
    parts = path.split("/")
    return path.endswith(".pyc") or any(part in SKIPPED_DIRECTORIES for part in parts[:-1])


def package_members(backend):
    """The (archive path, source, bytes) of every file of the backend package."""
    members = []
    for file in sorted((backend / PACKAGE).rglob("*")):
        path = file.relative_to(backend).as_posix()
        if file.is_file() and not skipped(path):
            members.append((path, str(backend / PACKAGE), file.read_bytes()))
    return members


def add_members(members, new_members):
    """Add (archive path, source, bytes) to `members` (path -> (source, bytes)); a path twice is an error."""
    for path, source, data in new_members:
        if path in members:
            raise BackendPackageError(
                f"{members[path][0]} and {source} both ship {path}: the zip cannot hold both, drop one of them"
            )
        members[path] = (source, data)


def deterministic_zip(members):
    """A zip of `members` (path -> (source, bytes)): sorted, fixed date, mode and compression, no directories."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(members):
            info = zipfile.ZipInfo(path, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = UNIX_SYSTEM
            info.external_attr = ZIP_FILE_MODE << 16
            archive.writestr(info, members[path][1], compresslevel=ZIP_COMPRESS_LEVEL)
    return buffer.getvalue()
