# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The digest of a site build's inputs: equal for equal inputs, different when anything the build reads differs."""

import shutil

import pytest
from test_site_build import LOGO
from test_site_build import THEME
from test_site_build import demo_site

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build_inputs
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build_inputs import SiteBuild


@pytest.fixture
def theme(tmp_path):
    copy = tmp_path / "theme"
    shutil.copytree(THEME, copy, ignore=shutil.ignore_patterns("node_modules"))
    return copy


def digest(theme, **overrides):
    return build_inputs.inputs_digest(str(theme), demo_site(**overrides))


def test_the_same_inputs_give_the_same_digest_also_from_a_fresh_copy(theme, tmp_path):
    fresh = tmp_path / "fresh"
    shutil.copytree(theme, fresh, copy_function=shutil.copyfile)

    assert digest(theme) == digest(theme) == digest(fresh)
    assert len(digest(theme)) == 64


@pytest.mark.parametrize(
    "changed_file",
    ["templates/pages/privacy.html.j2", "assets/site.css", "i18n/de.json", "package-lock.json"],
)
def test_any_file_the_build_reads_changes_the_digest(theme, changed_file):
    before = digest(theme)
    path = theme / changed_file
    path.write_bytes(path.read_bytes() + b"\n")

    assert digest(theme) != before


def test_a_new_theme_file_changes_the_digest(theme):
    before = digest(theme)
    (theme / "templates/pages/extra.html.j2").write_text("{% extends 'base.html.j2' %}\n")

    assert digest(theme) != before


def test_every_setting_of_the_site_changes_the_digest(theme):
    before = digest(theme)
    assert digest(theme, display_name="Creator Uno") != before
    assert digest(theme, languages=["en"]) != before
    assert digest(theme, runtime={"api_url": "https://api.creator1.example"}) != before
    assert digest(theme, features=["website"]) != before


def test_the_logo_bytes_are_an_input_not_only_its_name(theme, tmp_path):
    logo = tmp_path / "logo.svg"
    shutil.copyfile(LOGO, logo)
    site = demo_site()
    site["branding"] = {**site["branding"], "logo": str(logo)}
    before = build_inputs.inputs_digest(str(theme), site)
    logo.write_bytes(logo.read_bytes().replace(b"</svg>", b"<!-- v2 --></svg>"))

    assert build_inputs.inputs_digest(str(theme), site) != before


def test_the_build_code_is_an_input():
    code = build_inputs.code_digest()

    assert code and len(code) == 64
    assert set(build_inputs.BUILD_CODE) >= {build.__name__, build_inputs.__name__}


def test_the_site_is_checked_before_anything_else_and_built_only_when_asked(theme):
    with pytest.raises(build.SiteBuildError, match="purple"):
        SiteBuild.from_theme(str(theme), demo_site(branding={"primary_color": "purple"}))

    site = SiteBuild.from_theme(str(theme), demo_site(features=["website"]))
    assert site.digest == digest(theme, features=["website"]) and not site.built
    files = site.files()
    assert site.built and files is site.files()
    assert files == build.build_site(str(theme), demo_site(features=["website"]))


def test_a_prebuilt_site_has_no_digest():
    files = {"index.html": build.SiteFile(b"<!doctype html>", build.HTML_TYPE, build.NO_CACHE)}

    assert SiteBuild.prebuilt(files).digest is None and SiteBuild.prebuilt(files).files() == files
