// hls.js (its light build: HLS playback without subtitles, alternate audio or DRM, all IVS needs) for the
// player script (assets/live.js): bundled by esbuild into assets/hls.js at build time.
import Hls from 'hls.js/light';

window.Hls = Hls;
