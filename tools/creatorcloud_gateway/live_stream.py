# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`/_creatorcloud/live/`: a local HLS test stream in place of the channel's IVS playback URL.

IVS's playback hosts do not exist locally and the emulator's channel never receives video, so
the site's config.json names this path as the playback URL (see runtime_config.py). It serves
the playlist and segments that a local encoder writes into the gateway's live directory (for
example `ffmpeg -re -f lavfi -i testsrc ... -f hls .gateway/live/creator1/index.m3u8`); while no
stream runs the playlist is missing and the answer is 404, which the player shows as offline,
as IVS's playback URL answers a channel that is not live.
"""

import os

from werkzeug.security import safe_join
from werkzeug.wrappers import Response

from creatorcloud_gateway.runtime_config import LIVE_PATH

# IVS answers playlists uncached and segments cacheable; the types are HLS's (RFC 8216).
STREAM_FILES = {
    ".m3u8": ("application/vnd.apple.mpegurl", "no-cache"),
    ".ts": ("video/mp2t", "public, max-age=60"),
    ".m4s": ("video/iso.segment", "public, max-age=60"),
    ".mp4": ("video/mp4", "public, max-age=60"),
}


class LocalLiveStream:
    """Serves the files of a local HLS stream from `directory` (None: no stream, every path is 404)."""

    def __init__(self, directory=None):
        self.directory = directory

    def respond(self, request):
        """The playlist or segment at the request's path, or 404 (and 405 for anything but GET and HEAD)."""
        if request.method not in ("GET", "HEAD"):
            return Response(status=405, headers={"Allow": "GET, HEAD"})
        name = request.path[len(LIVE_PATH) :]
        kind = STREAM_FILES.get(os.path.splitext(name)[1])
        path = safe_join(self.directory, name) if self.directory and kind and name else None
        if path is None or not os.path.isfile(path):
            return Response("the channel is not live\n", status=404, content_type="text/plain")
        with open(path, "rb") as stream_file:
            body = stream_file.read()
        content_type, cache_control = kind
        # The site's player reads the stream from the same origin here; IVS's playback hosts allow any origin.
        headers = {"Cache-Control": cache_control, "Access-Control-Allow-Origin": "*"}
        return Response(body, status=200, content_type=content_type, headers=headers)
