/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The live page's player: plays `live.playback_url` of /config.json with hls.js (window.Hls, loaded
   before this script), or with the browser's own HLS where MediaSource is missing (older iPhones).
   While the channel is not live its playlist answers 404, so the stage stays data-state="offline" with
   its offline texts and the player tries again every 30 seconds, and at once when the tab becomes
   visible again. A stream that ends goes back to offline. Playback starts muted, because browsers allow only muted autoplay; the sound button unmutes.
   A classic script, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var RETRY_MILLISECONDS = 30000;
  var NATIVE_HLS_TYPE = "application/vnd.apple.mpegurl";

  /* /config.json: the shared loader of cognito.js when the page has it (chat), else a fetch of its own. */
  function loadConfig() {
    if (root.creatorcloud && root.creatorcloud.config) {
      return root.creatorcloud.config();
    }
    return fetch("/config.json", { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : {};
      })
      .catch(function () {
        return {};
      });
  }

  /* The player of one stage: tries the playlist, shows what it found, and tries again while offline. */
  function Player(stage, video, playbackUrl) {
    this.stage = stage;
    this.video = video;
    this.playbackUrl = playbackUrl;
    this.hls = null;
    this.retryTimer = null;
  }

  Player.prototype.setState = function (state) {
    this.stage.setAttribute("data-state", state);
  };

  /* Load the playlist; the stage turns live once the video plays. */
  Player.prototype.start = function () {
    this.stop();
    // hls.js wherever MediaSource works (Chromium says "maybe" to native HLS too, so asking that first would
    // bypass it); the browser's own HLS where there is no MediaSource (Safari on older iPhones).
    if (root.Hls && root.Hls.isSupported()) {
      this.startHls();
    } else if (this.video.canPlayType(NATIVE_HLS_TYPE)) {
      this.video.src = this.playbackUrl;
      this.play();
    }
  };

  Player.prototype.startHls = function () {
    var player = this;
    var Hls = root.Hls;
    // No worker: the site's Content-Security-Policy has no worker-src, so hls.js transmuxes on the page's thread.
    player.hls = new Hls({ enableWorker: false });
    player.hls.on(Hls.Events.MANIFEST_PARSED, function () {
      player.play();
    });
    player.hls.on(Hls.Events.ERROR, function (event, data) {
      if (data.fatal) {
        player.goOffline();
      }
    });
    player.hls.loadSource(player.playbackUrl);
    player.hls.attachMedia(player.video);
  };

  Player.prototype.play = function () {
    var player = this;
    var playing = player.video.play();
    if (playing && playing.catch) {
      // Autoplay refused even muted (a browser setting): the video waits for the fan's play button.
      playing.catch(function () {
        player.video.controls = true;
      });
    }
  };

  /* Drop the current attempt: its hls.js instance and the video's source. */
  Player.prototype.stop = function () {
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    if (this.video.getAttribute("src")) {
      this.video.removeAttribute("src");
      this.video.load();
    }
  };

  /* Not live (any more): show the offline texts and try again later. */
  Player.prototype.goOffline = function () {
    this.stop();
    this.setState("offline");
    this.scheduleRetry(RETRY_MILLISECONDS);
  };

  Player.prototype.scheduleRetry = function (delay) {
    var player = this;
    root.clearTimeout(player.retryTimer);
    player.retryTimer = root.setTimeout(function () {
      player.retryTimer = null;
      player.start();
    }, delay);
  };

  Player.prototype.listen = function () {
    var player = this;
    var video = player.video;
    video.addEventListener("playing", function () {
      player.setState("live");
    });
    video.addEventListener("ended", function () {
      player.goOffline();
    });
    video.addEventListener("error", function () {
      // hls.js reports its own errors; this one is the browser's own HLS (a 404 playlist, a broken stream).
      if (!player.hls) {
        player.goOffline();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && player.stage.getAttribute("data-state") === "offline") {
        player.scheduleRetry(0);
      }
    });
  };

  /* The sound button: its label says what a press does (from the page's texts), aria-pressed says if sound is on. */
  function setUpSound(button, video) {
    function show() {
      button.textContent = button.getAttribute(video.muted ? "data-label-muted" : "data-label-unmuted");
      button.setAttribute("aria-pressed", video.muted ? "false" : "true");
    }
    button.addEventListener("click", function () {
      video.muted = !video.muted;
      show();
    });
    video.addEventListener("volumechange", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var stage = document.getElementById("live-player");
    var video = stage && stage.querySelector("[data-live-video]");
    if (!video) {
      return;
    }
    video.muted = true;
    video.autoplay = true;
    setUpSound(stage.querySelector("[data-live-sound]"), video);
    loadConfig().then(function (config) {
      var playbackUrl = config.live && config.live.playback_url;
      if (!playbackUrl) {
        return; // no channel yet (a first run in check mode): the stage stays offline
      }
      var player = new Player(stage, video, playbackUrl);
      player.listen();
      player.start();
    });
  });
})(window);
