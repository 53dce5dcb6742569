# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: publishing a 1,000-file site with the frontend publisher, `aws s3 sync` and `community.aws.s3_sync`.

Starts a fresh emulator on a free port, makes one bucket per publisher (and a distribution for
ours) in one account, generates a deterministic site (900 hashed assets, 100 HTML pages) and
runs four scenarios with each publisher, each into its own bucket: the first publication; the
same again, unchanged; a fresh checkout (the same bytes written anew, so every mtime is newer);
one changed page. The emulator's call log is reset before each run; reads, writes and wall
seconds are reported per scenario and publisher, as a table and JSON.
"""

import argparse
import collections
import hashlib
import json
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / ".collections"))

from playbook_runner import run  # noqa: E402

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import publish as site_publish  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build import SiteFile  # noqa: E402
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build_inputs import SiteBuild  # noqa: E402
from creatorcloud_emulator import launcher  # noqa: E402

CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION = "eu-central-1"
AWS_CLI = REPO / ".venv/bin/aws"
ASSETS, PAGES = 900, 100
ASSET_EXTENSIONS = (".css", ".js", ".svg", ".woff2")
CHANGED_PAGE = "page-007.html"
SCENARIOS = (
    ("first", "first publication"),
    ("unchanged", "again, unchanged"),
    ("fresh_checkout", "fresh checkout, same content"),
    ("one_changed", "one page changed"),
)
PUBLISHERS = (
    ("frontend", "frontend publisher (in-process)"),
    ("aws_s3_sync", "aws s3 sync --delete"),
    ("community_s3_sync", "community.aws.s3_sync delete=true"),
)
IMMUTABLE = "public, max-age=31536000, immutable"
NO_CACHE = "no-cache"


def asset_body(index):
    """A few KB of deterministic bytes per asset."""
    seed = hashlib.sha256(f"asset-{index}".encode()).digest()
    return (seed.hex() * (16 + index % 48)).encode()


def generate_site():
    """{key: bytes}: 900 content-hashed assets and 100 pages (half of them under de/) that reference some."""
    files = {}
    for index in range(ASSETS):
        body = asset_body(index)
        name = f"assets/a{index:03d}.{hashlib.sha256(body).hexdigest()[:8]}{ASSET_EXTENSIONS[index % 4]}"
        files[name] = body
    assets = sorted(files)
    for index in range(PAGES):
        key = ("de/" if index >= PAGES // 2 else "") + ("index.html" if index % 50 == 0 else f"page-{index:03d}.html")
        links = "".join(f'<link rel="preload" href="/{assets[(index * 9 + n) % ASSETS]}">' for n in range(9))
        files[key] = f"<!doctype html><html lang=en><title>Page {index}</title>{links}<p>{'text ' * 200}</p>".encode()
    return files


def write_checkout(files, directory):
    """Write the site as a checkout would: every file new, so every mtime is now."""
    shutil.rmtree(directory, ignore_errors=True)
    for key, body in files.items():
        path = directory / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)


def read_site_files(directory):
    """The checkout as the build gives it to the publisher: {key: SiteFile} with type and caching per file."""
    files = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            key = path.relative_to(directory).as_posix()
            content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
            if content_type == "text/html":
                content_type += "; charset=utf-8"
            cache_control = IMMUTABLE if key.startswith("assets/") else NO_CACHE
            files[key] = SiteFile(path.read_bytes(), content_type, cache_control)
    return files


class Publishers:
    """The three publishers, each with its own bucket on the same emulator."""

    def __init__(self, emulator, workdir):
        self.emulator = emulator
        self.workdir = workdir
        self.s3 = boto3.client("s3", region_name=REGION, endpoint_url=emulator.endpoint_url, **CREDENTIALS)
        self.cloudfront = boto3.client(
            "cloudfront", region_name="us-east-1", endpoint_url=emulator.endpoint_url, **CREDENTIALS
        )
        self.buckets = {name: f"bench-{name.replace('_', '-')}" for name, _label in PUBLISHERS}
        for bucket in self.buckets.values():
            self.s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
        self.distribution_id = self._create_distribution(self.buckets["frontend"])
        self.env = dict(
            os.environ,
            AWS_ACCESS_KEY_ID=CREDENTIALS["aws_access_key_id"],
            AWS_SECRET_ACCESS_KEY=CREDENTIALS["aws_secret_access_key"],
            AWS_DEFAULT_REGION=REGION,
            ANSIBLE_CONFIG=str(REPO / "ansible.cfg"),
        )
        self.env.pop("AWS_PROFILE", None)

    def _create_distribution(self, bucket):
        origin = {"Id": "site", "DomainName": f"{bucket}.s3.{REGION}.amazonaws.com"}
        config = {
            "CallerReference": "bench-publish",
            "Comment": "",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [{**origin, "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
        return self.cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]

    def frontend(self, checkout):
        """Our publisher, called in-process; returns the number of uploaded files."""
        result = site_publish.publish(
            self.s3,
            self.cloudfront,
            self.buckets["frontend"],
            self.distribution_id,
            SiteBuild.prebuilt(read_site_files(checkout)),
            False,
            site_publish.DEFAULT_INVALIDATION_THRESHOLD,
            site_publish.DEFAULT_MAX_WORKERS,
        )
        return len(result["uploaded"])

    def aws_s3_sync(self, checkout):
        """`aws s3 sync --delete`: size and modification time decide; its uploads are counted in the call log."""
        command = [
            str(AWS_CLI), "s3", "sync", str(checkout), f"s3://{self.buckets['aws_s3_sync']}", "--delete",
            "--endpoint-url", self.emulator.endpoint_url, "--no-progress", "--only-show-errors",
        ]  # fmt: skip
        completed = subprocess.run(command, env=self.env, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            raise SystemExit(f"aws s3 sync failed:\n{completed.stderr}")
        return None

    def community_s3_sync(self, checkout):
        """`community.aws.s3_sync` in a generated playbook; returns the number of uploads."""
        playbook = self.workdir / "s3_sync.yml"
        task = {
            "name": "Publish with community.aws.s3_sync",
            "community.aws.s3_sync": {
                "bucket": self.buckets["community_s3_sync"],
                "file_root": str(checkout),
                "delete": True,
                "endpoint_url": self.emulator.endpoint_url,
                "region": REGION,
            },
            "register": "bench_s3_sync",
        }
        play = {"name": "Bench s3_sync", "hosts": "localhost", "connection": "local", "gather_facts": False}
        play["vars"] = {"ansible_python_interpreter": sys.executable}
        playbook.write_text(json.dumps([{**play, "tasks": [task]}]))
        outcome = run(str(playbook), inventory="localhost,", env=self.env)
        if outcome.returncode != 0:
            raise SystemExit(f"community.aws.s3_sync failed:\n{outcome.output}\n{outcome.stderr}")
        [result] = outcome.results("localhost", action="community.aws.s3_sync")
        return len(result.get("uploads", []))

    def measure(self, name, checkout):
        """Publish once with a clean call log: reads, writes, seconds, uploads."""
        self.emulator.reset_calls()
        started = time.monotonic()
        uploaded = getattr(self, name)(checkout)
        wall = time.monotonic() - started
        calls = self.emulator.calls()
        operations = collections.Counter(f"{call['service']}:{call['operation']}" for call in calls["calls"])
        return {
            "reads": calls["reads"],
            "writes": calls["writes"],
            "wall_seconds": round(wall, 2),
            "uploaded": operations["s3:PutObject"] if uploaded is None else uploaded,
            "calls_by_operation": dict(sorted(operations.items())),
        }


def run_scenarios(publishers, files, workdir):
    """The four scenarios, each with every publisher, on the same checkout."""
    results = {}
    checkout = workdir / "checkout"
    changed = dict(files)
    changed[CHANGED_PAGE] = files[CHANGED_PAGE].replace(b"<title>", b"<title>New: ")
    for scenario, _label in SCENARIOS:
        if scenario in ("first", "fresh_checkout"):
            write_checkout(files, checkout)
        elif scenario == "one_changed":
            (checkout / CHANGED_PAGE).write_bytes(changed[CHANGED_PAGE])
        # aws s3 sync compares modification times in whole seconds: let the clock move on.
        time.sleep(1.1)
        results[scenario] = {name: publishers.measure(name, checkout) for name, _label in PUBLISHERS}
    return results


def table(results):
    """One row per scenario and publisher."""
    header = ("scenario", "publisher", "uploaded", "reads", "writes", "seconds")
    rows = [header]
    for scenario, scenario_label in SCENARIOS:
        for name, label in PUBLISHERS:
            row = results[scenario][name]
            rows.append(
                (scenario_label, label, row["uploaded"], row["reads"], row["writes"], f"{row['wall_seconds']:.2f}")
            )
    widths = [max(len(str(row[column])) for row in rows) for column in range(len(header))]
    lines = [" | ".join(str(value).ljust(width) for value, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-|-".join("-" * width for width in widths))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="creatorcloud-bench-publish-"))
    emulator = launcher.start(launcher.free_port(), log_path=workdir / "emulator.log")
    try:
        files = generate_site()
        publishers = Publishers(emulator, workdir)
        results = run_scenarios(publishers, files, workdir)
    finally:
        launcher.stop(emulator.pid)
    shutil.rmtree(workdir, ignore_errors=True)
    report = {
        "site": {"files": len(files), "assets": ASSETS, "pages": PAGES, "bytes": sum(map(len, files.values()))},
        "scenarios": results,
    }
    print(json.dumps(report, indent=2))
    print()
    print(table(results))
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
