# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's npm bundles: built with the pinned packages, once per input, the same bytes from anywhere."""

import shutil
import subprocess
from pathlib import Path

import pytest

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import scripts

THEME = Path(__file__).resolve().parents[2] / "files" / "frontend"


def refuse_to_run(command, **kwargs):
    """A `run` for builds that must not start a process."""
    raise AssertionError(f"no command may run here, got {command}")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Both bundles, built once for this module into a fresh cache with the real npm and esbuild."""
    cache = tmp_path_factory.mktemp("site-scripts")
    return cache, scripts.bundled_scripts(str(THEME), ["website", "live", "chat"], str(cache))


def test_a_site_without_live_or_chat_needs_no_bundle_and_no_node():
    assert scripts.bundled_scripts(str(THEME), ["website", "auth", "shop"], "/nonexistent", run=refuse_to_run) == {}


def test_each_feature_gets_only_its_bundle(built):
    cache, bundles = built

    assert sorted(bundles) == ["chat-client.js", "hls.js"]
    assert sorted(scripts.bundled_scripts(str(THEME), ["live"], str(cache), run=refuse_to_run)) == ["hls.js"]
    assert sorted(scripts.bundled_scripts(str(THEME), ["chat"], str(cache), run=refuse_to_run)) == ["chat-client.js"]


def test_the_chat_bundle_exposes_the_official_client_to_classic_scripts(built, tmp_path):
    bundle = tmp_path / "chat-client.js"
    bundle.write_bytes(built[1]["chat-client.js"])
    probe = (
        "globalThis.window = globalThis; require(process.argv[1]); const c = window.IvsChatMessaging;"
        "console.log(Object.keys(c).sort().join(','), typeof c.ChatRoom, typeof new c.SendMessageRequest('hi'));"
    )

    result = subprocess.run(["node", "-e", probe, str(bundle)], capture_output=True, text=True, check=True)

    assert result.stdout.split() == [
        "ChatRoom,DeleteMessageRequest,DisconnectUserRequest,SendMessageRequest",
        "function",
        "object",
    ]


def test_the_player_bundle_exposes_hls_js(built, tmp_path):
    bundle = tmp_path / "hls.js"
    bundle.write_bytes(built[1]["hls.js"])
    probe = (
        "globalThis.window = globalThis; require(process.argv[1]); console.log(typeof window.Hls, window.Hls.version)"
    )

    result = subprocess.run(["node", "-e", probe, str(bundle)], capture_output=True, text=True, check=True)

    assert result.stdout.split() == ["function", "1.7.4"]


def test_unchanged_inputs_are_read_from_the_cache(built):
    cache, bundles = built

    again = scripts.bundled_scripts(str(THEME), ["live", "chat"], str(cache), run=refuse_to_run)

    assert again == bundles


def test_the_same_inputs_give_the_same_bytes_from_another_path(built, tmp_path):
    theme = tmp_path / "elsewhere" / "frontend"
    shutil.copytree(THEME, theme, ignore=shutil.ignore_patterns("node_modules"))

    rebuilt = scripts.bundled_scripts(str(theme), ["live", "chat"], str(tmp_path / "other-cache"))

    assert rebuilt == built[1]


def test_a_changed_entry_is_built_again(tmp_path, built):
    theme = tmp_path / "frontend"
    shutil.copytree(THEME, theme)
    entry = theme / "scripts" / "chat-client.entry.js"
    entry.write_text(entry.read_text() + "window.IvsChatMessagingBuild = 2;\n")

    changed = scripts.bundled_scripts(str(theme), ["chat"], str(built[0]))

    assert changed["chat-client.js"] != built[1]["chat-client.js"]
    assert b"IvsChatMessagingBuild" in changed["chat-client.js"]


def test_a_missing_node_is_named_with_what_to_install(tmp_path):
    def no_npm(command, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", command[0])

    with pytest.raises(scripts.SiteScriptsError) as raised:
        scripts.bundled_scripts(str(THEME), ["chat"], str(tmp_path), run=no_npm)

    assert "needs Node.js 18 or newer with npm" in str(raised.value)
    assert "running npm failed" in str(raised.value)
    assert list(tmp_path.iterdir()) == []  # nothing half-built is left in the cache


def test_a_failing_npm_is_named_with_its_error(tmp_path):
    def failing_npm(command, **kwargs):
        return subprocess.CompletedProcess(command, 1, "", "npm error 404 Not Found - GET .../hls.js\nnpm error end")

    with pytest.raises(scripts.SiteScriptsError) as raised:
        scripts.bundled_scripts(str(THEME), ["live"], str(tmp_path), run=failing_npm)

    assert str(raised.value) == (
        "bundling the site's scripts failed: npm ci --ignore-scripts exited with 1: "
        "npm error 404 Not Found - GET .../hls.js\nnpm error end"
    )


def test_a_theme_without_its_lock_file_is_named(tmp_path):
    theme = tmp_path / "frontend"
    shutil.copytree(THEME, theme)
    (theme / "package-lock.json").unlink()

    with pytest.raises(scripts.SiteScriptsError) as raised:
        scripts.bundled_scripts(str(theme), ["chat"], str(tmp_path / "cache"), run=refuse_to_run)

    assert str(raised.value) == f"the theme {theme} lacks package-lock.json: its scripts cannot be bundled"
