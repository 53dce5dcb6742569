#!/usr/bin/env bash
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# A local test stream for a creator's live page: `make live-stream CREATOR=creator1`.
# IVS's playback hosts do not exist locally and the emulated channel never receives video, so the
# local gateway serves <state dir>/live/<creator>/index.m3u8 as the channel's playback URL (see
# tools/creatorcloud_gateway/live_stream.py). This encodes ffmpeg's test picture and tone into that
# directory as low-latency HLS (H.264 and AAC in 2-second segments, as IVS delivers them) until it
# is stopped (Ctrl-C); then the playlist goes away and the page shows the channel offline again.
set -euo pipefail

CREATOR=${1:?usage: live_stream.sh CREATOR [STATE_DIR]}
STATE_DIR=${2:-.gateway}
LIVE_DIR="$STATE_DIR/live/$CREATOR"

bash "$(dirname "$0")/install_debian_package.sh" ffmpeg ffmpeg

stop_stream() {
    if [[ -n "${ENCODER:-}" ]]; then
        kill "$ENCODER" 2>/dev/null || true
        wait "$ENCODER" 2>/dev/null || true
    fi
    rm -f "$LIVE_DIR"/index.m3u8* "$LIVE_DIR"/segment*.ts
}
mkdir -p "$LIVE_DIR"
stop_stream
trap stop_stream EXIT
trap 'exit 0' INT TERM
echo "streaming a test picture for $CREATOR into $LIVE_DIR (Ctrl-C stops it)"
ffmpeg -hide_banner -loglevel error -nostdin -re \
    -f lavfi -i "testsrc2=size=1280x720:rate=30" \
    -f lavfi -i "sine=frequency=440:sample_rate=48000" \
    -c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -profile:v main \
    -g 60 -keyint_min 60 -sc_threshold 0 -b:v 1500k -maxrate 1500k -bufsize 3000k \
    -c:a aac -b:a 128k -ar 48000 \
    -f hls -hls_time 2 -hls_list_size 6 -hls_flags delete_segments+independent_segments+temp_file \
    -hls_segment_filename "$LIVE_DIR/segment%05d.ts" "$LIVE_DIR/index.m3u8" &
ENCODER=$!
wait "$ENCODER"
