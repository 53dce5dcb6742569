# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Lambda deployment zip: arm64 wheels for Python 3.12, the backend package, and the same bytes every time.

The real build downloads the pinned wheels once into the repo's .cache/lambda-wheels (gitignored,
reused by later runs and by `make bench`). Cases about the zip's assembly (wheel layout,
collisions, foreign platforms) use small wheels made here and a seeded cache, so no pip runs.
"""

import base64
import concurrent.futures
import hashlib
import io
import json
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api import backend_package
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import COMPLETE_MARKER
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import DEFAULT_PLATFORMS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import (
    BackendPackageError,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import WheelTarget
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import (
    build_backend_package,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api.backend_package import check_wheel_target

REPO = Path(__file__).resolve().parents[2]
BACKEND = REPO / "files/backend"
WHEEL_CACHE = REPO / ".cache/lambda-wheels"
TARGET = WheelTarget("3.12", DEFAULT_PLATFORMS)
PIP_OFFLINE_STDERR = """\
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken
ERROR: Could not find a version that satisfies the requirement aws-lambda-powertools==3.37.0 (from versions: none)
ERROR: No matching distribution found for aws-lambda-powertools==3.37.0
"""


def names(package):
    """The archive paths of a package's zip."""
    return zipfile.ZipFile(io.BytesIO(package.zip_bytes)).namelist()


def copy_backend(destination):
    """A copy of files/backend without compiled caches; returns its path."""
    shutil.copytree(BACKEND, destination, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination


def refusing_to_zip(members):
    """A `deterministic_zip` that fails the test: the zip must come from the cache."""
    raise AssertionError("the zip of unchanged inputs must be read from the cache, not built again")


def refusing_pip(*args, **kwargs):
    """A `run` that fails the test: the build must not call pip."""
    raise AssertionError(f"pip must not run, the cache is complete: {args}")


@pytest.fixture(scope="module")
def package():
    """The real package of files/backend, its wheels downloaded once into the repo's cache."""
    return build_backend_package(BACKEND, WHEEL_CACHE)


@pytest.fixture
def wheel_cache(package, tmp_path):
    """A private copy of the repo's wheel cache without built zips: a build there assembles its zip anew."""
    return shutil.copytree(WHEEL_CACHE, tmp_path / "wheel-cache", ignore=shutil.ignore_patterns("package-*.zip"))


def make_wheel(directory, filename, members):
    """A wheel file named `filename` holding `members` (path -> text); returns its name."""
    with zipfile.ZipFile(directory / filename, "w") as wheel:
        for path, text in members.items():
            wheel.writestr(path, text)
    return filename


def seeded_backend(tmp_path, wheels):
    """A minimal backend whose wheel cache is already complete with `wheels` (filename -> members).

    Returns (backend_dir, cache_dir).
    """
    backend = tmp_path / "backend"
    (backend / "creatorcloud_backend").mkdir(parents=True)
    (backend / "creatorcloud_backend/__init__.py").write_text('"""The backend."""\n')
    (backend / "requirements.txt").write_text("alpha==1.0\n")
    cache = tmp_path / "cache"
    download = cache / hashlib.sha256((backend / "requirements.txt").read_bytes()).hexdigest()
    download.mkdir(parents=True)
    filenames = [make_wheel(download, filename, members) for filename, members in wheels.items()]
    marker = {"target": ["3.12", list(DEFAULT_PLATFORMS)], "wheels": filenames}
    (download / COMPLETE_MARKER).write_text(json.dumps(marker))
    return backend, cache


# The real package


def test_package_holds_the_handlers_and_the_arm64_dependencies(package):
    archive = names(package)
    assert "creatorcloud_backend/handlers/profile.py" in archive
    assert "creatorcloud_backend/handlers/post_confirmation.py" in archive
    assert "pydantic_core/_pydantic_core.cpython-312-aarch64-linux-gnu.so" in archive
    assert "aws_lambda_powertools/__init__.py" in archive
    assert "pydantic/__init__.py" in archive
    assert package.file_count == len(archive)


def test_package_leaves_out_what_the_runtime_has_and_what_python_does_not_import(package):
    archive = names(package)
    assert not [path for path in archive if path.startswith(("boto3/", "botocore/"))]
    assert not [path for path in archive if "__pycache__" in path or path.endswith(".pyc")]
    assert not [path for path in archive if path.endswith("/")], "no directory entries"
    assert not [path for path in archive if ".data/" in path.split("/")[0]]


def test_package_lists_its_resolved_dependencies_sorted(package):
    assert package.dependencies == tuple(sorted(package.dependencies))
    assert "aws-lambda-powertools==3.37.0" in package.dependencies
    assert "pydantic-core==2.50.5" in package.dependencies


def test_package_members_have_fixed_dates_modes_and_order(package):
    infos = zipfile.ZipFile(io.BytesIO(package.zip_bytes)).infolist()
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}


def test_code_sha256_is_what_lambda_reports(package):
    assert package.code_sha256 == base64.b64encode(hashlib.sha256(package.zip_bytes).digest()).decode()


def test_same_source_at_another_path_gives_the_same_bytes(package, wheel_cache, tmp_path):
    copy = copy_backend(tmp_path / "elsewhere" / "backend")
    again = build_backend_package(copy, wheel_cache, run=refusing_pip)
    assert again.zip_bytes == package.zip_bytes
    assert again.code_sha256 == package.code_sha256


def test_caches_and_tests_in_the_package_directory_are_left_out(package, wheel_cache, tmp_path):
    copy = copy_backend(tmp_path / "backend")
    (copy / "creatorcloud_backend/__pycache__").mkdir()
    (copy / "creatorcloud_backend/__pycache__/settings.cpython-312.pyc").write_bytes(b"\x00compiled")
    (copy / "creatorcloud_backend/tests").mkdir()
    (copy / "creatorcloud_backend/tests/test_local.py").write_text("def test_nothing():\n    pass\n")
    assert build_backend_package(copy, wheel_cache, run=refusing_pip).code_sha256 == package.code_sha256


def test_one_changed_byte_in_a_handler_changes_code_sha256(package, wheel_cache, tmp_path):
    copy = copy_backend(tmp_path / "backend")
    handler = copy / "creatorcloud_backend/handlers/profile.py"
    source = handler.read_bytes()
    handler.write_bytes(source[:-1] + (b" " if source[-1:] != b" " else b"\n"))
    assert build_backend_package(copy, wheel_cache, run=refusing_pip).code_sha256 != package.code_sha256


def test_a_zip_built_before_is_reused_and_replaced_when_the_source_changes(wheel_cache, tmp_path, monkeypatch):
    copy = copy_backend(tmp_path / "backend")
    first = build_backend_package(copy, wheel_cache, run=refusing_pip)
    [cached] = wheel_cache.glob("*/package-*.zip")
    with monkeypatch.context() as patched:
        patched.setattr(backend_package, "deterministic_zip", refusing_to_zip)
        assert build_backend_package(copy, wheel_cache, run=refusing_pip) == first
    (copy / "creatorcloud_backend/settings.py").write_text("# changed\n", encoding="utf-8")
    changed = build_backend_package(copy, wheel_cache, run=refusing_pip)
    assert changed.code_sha256 != first.code_sha256
    assert [path.name for path in wheel_cache.glob("*/package-*.zip")] != [cached.name]
    assert len(list(wheel_cache.glob("*/package-*.zip"))) == 1, "the zip of the older source is dropped"


# What the build refuses


def test_missing_requirements_file_is_named(tmp_path):
    backend = copy_backend(tmp_path / "backend")
    (backend / "requirements.txt").unlink()
    with pytest.raises(BackendPackageError, match=r"backend/requirements\.txt is missing"):
        build_backend_package(backend, tmp_path / "cache", run=refusing_pip)


def test_a_pin_without_a_wheel_names_the_requirement_and_caches_nothing(tmp_path):
    # Real pip against the package index: a version that was never published.
    backend = copy_backend(tmp_path / "backend")
    (backend / "requirements.txt").write_text("aws-lambda-powertools==0.0.999\n")
    with pytest.raises(BackendPackageError, match=r"requirement aws-lambda-powertools==0\.0\.999") as failure:
        build_backend_package(backend, tmp_path / "cache")
    assert "pip said:" in str(failure.value)
    assert not [path for path in (tmp_path / "cache").rglob("*") if path.is_file()]


def test_pip_failing_offline_gives_its_stderr_tail(tmp_path):
    # A fake pip: CI has network to the package index, so a real offline failure cannot happen there.
    def offline_pip(command, **kwargs):
        assert command[1:4] == ["-m", "pip", "download"]
        assert "--only-binary=:all:" in command and "manylinux_2_28_aarch64" in command
        return subprocess.CompletedProcess(command, 1, stdout="", stderr=PIP_OFFLINE_STDERR)

    with pytest.raises(BackendPackageError) as failure:
        build_backend_package(copy_backend(tmp_path / "backend"), tmp_path / "cache", run=offline_pip)
    message = str(failure.value)
    assert "requirement aws-lambda-powertools==3.37.0" in message
    assert "No matching distribution found" in message


def test_a_complete_cache_is_used_without_pip(tmp_path):
    backend, cache = seeded_backend(tmp_path, {"alpha-1.0-py3-none-any.whl": {"alpha/__init__.py": "A = 1\n"}})
    package = build_backend_package(backend, cache, run=refusing_pip)
    assert names(package) == ["alpha/__init__.py", "creatorcloud_backend/__init__.py"]
    assert package.dependencies == ("alpha==1.0",)


def test_a_cache_without_its_marker_is_downloaded_again(tmp_path):
    backend, cache = seeded_backend(tmp_path, {"alpha-1.0-py3-none-any.whl": {"alpha/__init__.py": "A = 1\n"}})
    [marker] = cache.glob(f"*/{COMPLETE_MARKER}")
    marker.unlink()
    calls = []

    def recording_pip(command, **kwargs):
        calls.append(command)
        destination = Path(command[command.index("-d") + 1])
        make_wheel(destination, "alpha-1.0-py3-none-any.whl", {"alpha/__init__.py": "A = 2\n"})
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    package = build_backend_package(backend, cache, run=recording_pip)
    assert len(calls) == 1
    assert zipfile.ZipFile(io.BytesIO(package.zip_bytes)).read("alpha/__init__.py") == b"A = 2\n"
    assert build_backend_package(backend, cache, run=refusing_pip).zip_bytes == package.zip_bytes


def test_parallel_builds_into_an_empty_cache_agree(tmp_path):
    # Ansible runs the api module for several creators at once, all with the same cache directory.
    backend, cache = seeded_backend(tmp_path, {})
    shutil.rmtree(cache)

    def slow_pip(command, **kwargs):
        destination = Path(command[command.index("-d") + 1])
        make_wheel(destination, "alpha-1.0-py3-none-any.whl", {"alpha/__init__.py": "A = 1\n"})
        time.sleep(0.2)
        return subprocess.CompletedProcess(command, 0, stdout="", stderr="")

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        packages = list(pool.map(lambda _index: build_backend_package(backend, cache, run=slow_pip), range(4)))
    assert len({package.zip_bytes for package in packages}) == 1
    [download] = [path for path in cache.iterdir() if not path.name.startswith(".")]
    assert sorted(path.name for path in cache.iterdir()) == [download.name], "no staging directory is left"
    assert build_backend_package(backend, cache, run=refusing_pip) == packages[0]


def test_an_unwritable_cache_only_costs_a_rebuild(tmp_path):
    backend_package.store_zip(tmp_path / "missing" / "package-0.zip", b"zip")
    assert not (tmp_path / "missing").exists()


def test_wheel_data_directories_go_to_the_root_or_are_left_out(tmp_path):
    members = {
        "alpha/__init__.py": "",
        "alpha-1.0.data/purelib/alpha_extra.py": "",
        "alpha-1.0.data/platlib/alpha_native.py": "",
        "alpha-1.0.data/scripts/alpha": "#!python\n",
        "alpha-1.0.data/headers/alpha.h": "",
        "alpha-1.0.dist-info/METADATA": "Name: alpha\n",
    }
    backend, cache = seeded_backend(tmp_path, {"alpha-1.0-py3-none-any.whl": members})
    assert names(build_backend_package(backend, cache, run=refusing_pip)) == [
        "alpha-1.0.dist-info/METADATA",
        "alpha/__init__.py",
        "alpha_extra.py",
        "alpha_native.py",
        "creatorcloud_backend/__init__.py",
    ]


def test_two_wheels_shipping_one_path_are_both_named(tmp_path):
    wheels = {
        "alpha-1.0-py3-none-any.whl": {"shared/__init__.py": "A = 1\n"},
        "beta-2.0-py3-none-any.whl": {"shared/__init__.py": "B = 2\n"},
    }
    backend, cache = seeded_backend(tmp_path, wheels)
    with pytest.raises(BackendPackageError, match=r"alpha-1\.0-py3-none-any\.whl and beta-2\.0-py3-none-any\.whl"):
        build_backend_package(backend, cache, run=refusing_pip)


def test_a_cached_x86_wheel_is_refused(tmp_path):
    wheel = "gamma-1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
    backend, cache = seeded_backend(tmp_path, {wheel: {"gamma/__init__.py": ""}})
    with pytest.raises(BackendPackageError, match=rf"{wheel} does not run on Python 3\.12"):
        build_backend_package(backend, cache, run=refusing_pip)


@pytest.mark.parametrize(
    "wheel",
    [
        "pydantic_core-2.50.5-cp312-cp312-manylinux2014_aarch64.manylinux_2_17_aarch64.whl",
        "pydantic_core-2.50.5-cp312-cp312-manylinux_2_28_aarch64.whl",
        "cryptography-44.0.0-cp39-abi3-manylinux_2_28_aarch64.whl",
        "six-1.17.0-py2.py3-none-any.whl",
        "typing_extensions-4.16.0-py3-none-any.whl",
    ],
)
def test_wheels_for_lambda_python_on_arm64_are_accepted(wheel):
    check_wheel_target(wheel, TARGET)


@pytest.mark.parametrize(
    "wheel",
    [
        "pydantic_core-2.50.5-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "pydantic_core-2.50.5-cp311-cp311-manylinux2014_aarch64.whl",
        "pydantic_core-2.50.5-cp312-cp312-macosx_11_0_arm64.whl",
        "pydantic_core-2.50.5-cp312-cp312-musllinux_1_1_aarch64.whl",
        "pydantic_core-2.50.5-cp312-cp312-manylinux_2_39_aarch64.whl",
        "cryptography-44.0.0-cp313-abi3-manylinux_2_28_aarch64.whl",
        "legacy-1.0-py2-none-any.whl",
    ],
)
def test_wheels_for_another_platform_or_python_are_refused(wheel):
    with pytest.raises(BackendPackageError, match="does not run on Python 3.12"):
        check_wheel_target(wheel, TARGET)
