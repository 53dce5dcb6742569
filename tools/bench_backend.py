# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: the backend's cold import time per handler module, the in-process latency of GET /api/me,
and the time to build the functions' deployment zip.

Cold import: a fresh interpreter per run imports one handler module and reports how long the
import took (interpreter start excluded); the median of 5 runs per module, and whether boto3 was
imported by then. Latency: 1,000 calls of GET /api/me through the profile handler with an API
Gateway v2 event, against moto in-process (mock_aws); p50 and p99. Package: the deployment zip
built cold (empty wheel cache: pip download + zip), warm (cached wheels: zip only, after a source
change) and unchanged (the zip read from the cache: what a no-op run of the api module pays), its
size and file count. Prints a table and JSON.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BACKEND = REPO / "files" / "backend"
HANDLER_MODULES = (
    "creatorcloud_backend.handlers.profile",
    "creatorcloud_backend.handlers.post_confirmation",
    "creatorcloud_backend.handlers.chat",
    "creatorcloud_backend.handlers.chat_review",
    "creatorcloud_backend.handlers.shop",
    "creatorcloud_backend.handlers.membership",
    "creatorcloud_backend.handlers.donations",
    "creatorcloud_backend.handlers.stripe_webhook",
)
REGION = "eu-central-1"
IMPORT_PROBE = """
import sys, time
started = time.perf_counter()
import {module}
print(time.perf_counter() - started, "boto3" in sys.modules)
"""


def cold_import(module, runs):
    """{"median_ms", "runs_ms", "boto3_imported"} of importing the module in fresh interpreters."""
    env = {**os.environ, "PYTHONPATH": str(BACKEND), "PYTHONDONTWRITEBYTECODE": "1"}
    timings, boto3_imported = [], False
    for _run in range(runs):
        output = subprocess.run(
            [sys.executable, "-c", IMPORT_PROBE.format(module=module)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
        timings.append(float(output[0]) * 1000)
        boto3_imported = output[1] == "True"
    return {
        "median_ms": round(statistics.median(timings), 1),
        "runs_ms": [round(t, 1) for t in timings],
        "boto3_imported": boto3_imported,
    }


def percentile(sorted_values, fraction):
    """The nearest-rank percentile of already sorted values."""
    return sorted_values[min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))]


def get_me_latency(calls):
    """{"p50_ms", "p99_ms", "calls"} of GET /api/me through the profile handler against in-process moto."""
    sys.path.insert(0, str(BACKEND))
    sys.path.insert(0, str(REPO / "tests" / "backend"))
    sys.path.insert(0, str(REPO / "tools"))  # the backend's test fixtures register the emulator's IVS Chat
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_REGION=REGION,
        USERS_TABLE="Users",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    import boto3  # pylint: disable=import-outside-toplevel
    from conftest import LambdaContext  # pylint: disable=import-outside-toplevel
    from conftest import create_users_table  # pylint: disable=import-outside-toplevel
    from conftest import http_event  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.domain import profile as profile_domain  # pylint: disable=import-outside-toplevel
    from creatorcloud_backend.handlers import profile  # pylint: disable=import-outside-toplevel
    from moto import mock_aws  # pylint: disable=import-outside-toplevel

    with mock_aws():
        create_users_table(boto3.client("dynamodb", region_name=REGION))
        profile_domain.create_profile("fan-1", "fan@example.com", "Fan")
        event = http_event("GET", "/api/me", claims={"sub": "fan-1", "email": "fan@example.com"})
        context = LambdaContext()
        assert profile.handler(event, context)["statusCode"] == 200
        timings = []
        for _call in range(calls):
            started = time.perf_counter()
            profile.handler(event, context)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"calls": calls, "p50_ms": round(percentile(timings, 0.5), 2), "p99_ms": round(percentile(timings, 0.99), 2)}


def timed_build(build, cache):
    """(seconds, package) of one build of the backend's zip with `cache` as the wheel cache."""
    started = time.perf_counter()
    package = build(BACKEND, cache)
    return time.perf_counter() - started, package


def package_build():
    """{"cold_s", "warm_s", "cached_s", "zip_bytes", "file_count", "code_sha256"} of building the deployment zip."""
    sys.path.insert(0, str(REPO / ".collections"))
    from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.api import backend_package  # pylint: disable=import-outside-toplevel

    build = backend_package.build_backend_package
    with tempfile.TemporaryDirectory(prefix="creatorcloud-wheels-") as cache:
        cold_s, cold = timed_build(build, cache)
        for built in Path(cache).glob("*/package-*.zip"):
            built.unlink()
        warm_s, warm = timed_build(build, cache)
        cached_s, cached = timed_build(build, cache)
    assert cold.zip_bytes == warm.zip_bytes == cached.zip_bytes, "builds of the same source must be byte-identical"
    return {
        "cold_s": round(cold_s, 2),
        "warm_s": round(warm_s, 2),
        "cached_s": round(cached_s, 3),
        "zip_bytes": len(warm.zip_bytes),
        "file_count": warm.file_count,
        "code_sha256": warm.code_sha256,
    }


def main():
    """Measure, print the table, then the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per module (median)")
    parser.add_argument("--calls", type=int, default=1000, help="GET /api/me calls")
    args = parser.parse_args()
    result = {
        "cold_import": {module: cold_import(module, args.runs) for module in HANDLER_MODULES},
        "get_me": get_me_latency(args.calls),
        "package": package_build(),
    }
    print(f"{'handler module':<50} {'cold import (median ms)':>24} {'boto3 at import':>16}")
    for module, timing in result["cold_import"].items():
        print(f"{module:<50} {timing['median_ms']:>24} {str(timing['boto3_imported']):>16}")
    latency = result["get_me"]
    print(f"GET /api/me in-process (moto), {latency['calls']} calls:", end=" ")
    print(f"p50 {latency['p50_ms']} ms, p99 {latency['p99_ms']} ms")
    package = result["package"]
    print(f"deployment zip, {package['zip_bytes'] / 1e6:.1f} MB, {package['file_count']} files:", end=" ")
    print(
        f"cold (pip download + zip) {package['cold_s']} s, warm (cached wheels, zip built) {package['warm_s']} s,",
        end=" ",
    )
    print(f"unchanged source (cached zip) {package['cached_s']} s")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
