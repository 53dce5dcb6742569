# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The live page plays a real HLS stream: the local test stream of `make live-stream`, through the gateway.

tools/live_stream.sh encodes ffmpeg's test picture into the gateway's live directory (the playback
URL of creator1's config.json locally); the page's hls.js plays it in Chromium, the stage turns
live and the video's clock runs; when the stream stops the stage goes back to offline.
"""

import shutil
import signal
import subprocess
import time

import pytest
from playbook_runner import REPO

STREAM_SCRIPT = REPO / "tools/live_stream.sh"
LIVE_TIMEOUT_MS = 60_000


@pytest.fixture
def test_stream(gateway_state):
    """`start()` runs creator1's local test stream until the test ends (or `stop()`)."""
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is missing: run `make ffmpeg` (make e2e does)")
    processes = []

    def start():
        command = ["bash", str(STREAM_SCRIPT), "creator1", str(gateway_state)]
        processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        return processes[-1]

    def stop():
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)

    start.stop = stop
    yield start
    stop()


def stage_state(page):
    return page.locator("#live-player").get_attribute("data-state")


def video_time(page):
    return page.evaluate("() => document.querySelector('#live-player video').currentTime")


def test_the_player_goes_live_with_a_stream_and_offline_after_it(gateways, page, test_stream, screenshot):
    live_page = gateways["creator1"].url + "en/live.html"
    page.goto(live_page, wait_until="networkidle")
    assert stage_state(page) == "offline"

    stream = test_stream()
    # The page tries again every 30 s, and at once on a reload: wait for the encoder's first segments.
    deadline = time.monotonic() + LIVE_TIMEOUT_MS / 1000
    while stage_state(page) != "live" and time.monotonic() < deadline:
        assert stream.poll() is None, stream.stderr.read()
        time.sleep(3)
        page.reload(wait_until="domcontentloaded")
        page.wait_for_timeout(2000)
    assert stage_state(page) == "live"

    started = video_time(page)
    page.wait_for_timeout(3000)
    assert video_time(page) > started + 1, "the video's clock does not run"
    assert page.evaluate("() => document.querySelector('#live-player video').muted") is True  # autoplay is muted
    screenshot(page, "live-stream-playing")

    test_stream.stop()
    page.locator('#live-player[data-state="offline"]').wait_for(timeout=LIVE_TIMEOUT_MS)
