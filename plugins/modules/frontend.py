#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: frontend
short_description: Publish a creator's website to its bucket and invalidate what changed
version_added: 0.1.0
description:
  - Renders the site theme in O(theme_dir) with the creator's settings in O(site) and publishes the result to the
    creator's site bucket O(bucket), inside the creator's account.
  - Reproducible; the same theme and settings give byte-identical files, so publishing again after a rebuild or
    from a fresh checkout uploads nothing when nothing changed.
  - Compares with what is published using one paginated C(ListObjectsV2) and one C(GetObject) of the site manifest
    C(.creatorcloud/site-manifest.json), never a request per file.
  - The manifest records, for every key, a digest of what was uploaded (sha256 over Content-Type, Cache-Control
    and body) and the ETag S3 answered for that upload. S3's ETag is not the MD5 of the content for objects
    encrypted with a KMS key, as the site bucket is, so the module never compares ETags with local checksums.
    A key is unchanged when its local digest equals the recorded one and the listing still shows the recorded ETag;
    a file changed or deleted in the bucket by hand is therefore uploaded again.
  - Uploads new and changed files in parallel, each with its Content-Type and Cache-Control (immutable for hashed
    assets, C(no-cache) for HTML). Hashed assets go up first, then the files that may reference them (HTML pages,
    C(config.json), C(sitemap.xml)), so a page never references an asset that is not there yet.
  - Then removes the keys that are no longer part of the site, only keys that the previous manifest lists or that
    lie under one of the site's own top-level directories (like C(assets/) or C(de/)); other keys are left alone
    and returned as RV(unmanaged).
  - Then invalidates, in one C(CreateInvalidation), the paths of changed and removed files (an C(index.html) also
    as its directory path like C(/) or C(/de/)); a single C(/*) when there are more than O(invalidation_threshold)
    paths. New files and removed hashed assets are not invalidated, as no edge location can hold a stale copy
    that a page still references. The caller reference is derived from the published state and the changed set,
    so a retried run never invalidates the same change twice.
  - The manifest also records a digest of the build's inputs (the theme's files, O(site), the logo, the version of
    the build code). When the digest of this run's inputs equals the recorded one and the listing still shows every
    recorded ETag, the site is not rendered at all (RV(built) is false), so a run that changes nothing costs the
    two reads and no rendering. When only the digest differs (a new version of the collection that renders the same
    files), the module writes the manifest alone once, reported as a change, so later runs skip the rendering.
  - The theme and O(site) are checked on every run, also when the site is not rendered, so bad input still fails
    before any write.
  - The manifest is written last; a run that fails earlier is finished by running again.
  - Runs inside the creator's account, with the role named by O(role_name) assumed in account O(account_id).
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name; it names the session and every error.
    type: str
    required: true
  bucket:
    description:
      - The creator's site bucket.
    type: str
    required: true
  distribution_id:
    description:
      - The CloudFront distribution serving the bucket. Without it nothing is invalidated.
    type: str
  site:
    description:
      - The creator's settings the theme is rendered with; the build validates their content.
    type: dict
    required: true
    suboptions:
      creator:
        description: The creator's slug.
        type: str
        required: true
      display_name:
        description: The creator's name as fans see it.
        type: str
        required: true
      domain:
        description: The creator's apex domain.
        type: str
        required: true
      contact_email:
        description: Where fans reach the creator.
        type: str
        required: true
      languages:
        description: Languages of the site, the first is the default.
        type: list
        elements: str
        default: [en]
      features:
        description: The features switched on for the creator.
        type: list
        elements: str
        default: [website]
      branding:
        description: Colours, font, logo (an absolute path on the controller) and texts of the site.
        type: dict
        default: {}
      legal:
        description: The legal notice and privacy policy details.
        type: dict
        default: {}
      runtime:
        description: Settings the site reads at run time from C(config.json), such as the API URL.
        type: dict
        default: {}
  theme_dir:
    description:
      - The theme to render; role C(creatorcloud.platform.frontend) passes the collection's C(files/frontend).
    type: path
    required: true
  scripts_cache_dir:
    description:
      - Where the third-party scripts of the live and chat features (the official IVS Chat client, hls.js; pinned
        in C(files/frontend/package-lock.json)) are kept once bundled. The first build of a site with C(live) or
        C(chat) runs C(npm ci) and esbuild on the controller, so it needs Node.js 18 or newer with npm; later builds
        read the bundles from here while the theme's lock file and entries are unchanged.
    type: path
    default: ~/.cache/creatorcloud/site-scripts
  invalidation_threshold:
    description:
      - Above this many changed paths, invalidate C(/*) once instead.
    type: int
    default: 20
  max_workers:
    description:
      - How many uploads run at the same time (1 to 10, the size of a client's connection pool).
    type: int
    default: 8
  state:
    description:
      - Only C(present) is supported; the bucket and distribution belong to role C(creatorcloud.platform.website).
    type: str
    choices: [present]
    default: present
extends_documentation_fragment:
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - In check mode the module reads the listing and the manifest and returns what it would upload, remove and
    invalidate; it makes no write call. A bucket that does not exist yet (role C(creatorcloud.platform.website) only
    plans it in check mode) is planned as a first publication; in a real run it is an error.
  - The manifest is an object of the site bucket, so the distribution serves it too; it holds the keys and digests
    of public files and nothing else.
"""

EXAMPLES = r"""
- name: Publish creator1's site
  creatorcloud.platform.frontend:
    account_id: "123456789012"
    creator: creator1
    bucket: creatorcloud-creator1-site-123456789012
    distribution_id: E2QWRUHAPOMQZL
    theme_dir: /path/to/creatorcloud/platform/files/frontend
    site:
      creator: creator1
      display_name: Creator One
      domain: creator1.example
      contact_email: hello@creator1.example
      languages: [de, en]
      features: [website, live]
      branding:
        primary_color: "#6d28d9"

- name: What would be published
  creatorcloud.platform.frontend:
    account_id: "123456789012"
    creator: creator1
    bucket: creatorcloud-creator1-site-123456789012
    distribution_id: E2QWRUHAPOMQZL
    theme_dir: /path/to/creatorcloud/platform/files/frontend
    site: "{{ frontend_site }}"
  check_mode: true
  diff: true
"""

RETURN = r"""
uploaded:
  description: Keys uploaded (to be uploaded in check mode), in upload order; assets before pages.
  returned: always
  type: list
  elements: str
  sample: ["assets/theme.3f2a9c1e.css", "index.html"]
removed:
  description: Keys removed (to be removed in check mode).
  returned: always
  type: list
  elements: str
  sample: ["old-page.html"]
invalidated:
  description: Paths invalidated (to be invalidated in check mode); empty without O(distribution_id).
  returned: always
  type: list
  elements: str
  sample: ["/", "/index.html"]
unchanged:
  description: How many files of the site were already published as they are.
  returned: always
  type: int
  sample: 998
built:
  description:
    - Whether the site was rendered. False when the published site is what the recorded build inputs give, so that
      nothing needed to be built or compared.
  returned: always
  type: bool
  sample: false
unmanaged:
  description: Keys in the bucket that are not part of the site and that the module leaves alone.
  returned: always
  type: list
  elements: str
counts:
  description: The number of uploaded, removed, invalidated and unchanged entries.
  returned: always
  type: dict
  contains:
    uploaded:
      description: Files uploaded.
      type: int
    removed:
      description: Files removed.
      type: int
    invalidated:
      description: Paths invalidated.
      type: int
    unchanged:
      description: Files already published as they are.
      type: int
  sample: {"uploaded": 2, "removed": 0, "invalidated": 2, "unchanged": 998}
invalidation_id:
  description: The id of the CloudFront invalidation; null when nothing was invalidated or in check mode.
  returned: always
  type: str
  sample: I2J0I21PCUYOIK
changes:
  description: What the run changed (or would change in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["uploaded hashed assets: 1", "uploaded pages and other files: 2", "invalidated paths: 2"]
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    AnsibleCreatorSessionError,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build import SCRIPTS_CACHE_DIR
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build import SiteBuildError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.build_inputs import SiteBuild
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.publish import (
    DEFAULT_INVALIDATION_THRESHOLD,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.publish import DEFAULT_MAX_WORKERS
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.publish import PublishError
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend.publish import publish

MAX_WORKERS_LIMIT = 10


def site_options():
    """The keys of the `site` option, validated by Ansible; the build validates their values."""
    return dict(
        creator=dict(type="str", required=True),
        display_name=dict(type="str", required=True),
        domain=dict(type="str", required=True),
        contact_email=dict(type="str", required=True),
        languages=dict(type="list", elements="str", default=["en"]),
        features=dict(type="list", elements="str", default=["website"]),
        branding=dict(type="dict", default={}),
        legal=dict(type="dict", default={}),
        runtime=dict(type="dict", default={}),
    )


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    errors = []
    if params["invalidation_threshold"] < 0:
        errors.append(f"invalidation_threshold {params['invalidation_threshold']!r} must not be negative")
    if not 1 <= params["max_workers"] <= MAX_WORKERS_LIMIT:
        errors.append(f"max_workers {params['max_workers']!r} must be between 1 and {MAX_WORKERS_LIMIT}")
    return errors


def main():
    argument_spec = dict(
        bucket=dict(type="str", required=True),
        distribution_id=dict(type="str"),
        site=dict(type="dict", required=True, options=site_options()),
        theme_dir=dict(type="path", required=True),
        scripts_cache_dir=dict(type="path", default=SCRIPTS_CACHE_DIR),
        invalidation_threshold=dict(type="int", default=DEFAULT_INVALIDATION_THRESHOLD),
        max_workers=dict(type="int", default=DEFAULT_MAX_WORKERS),
        state=dict(type="str", choices=["present"], default="present"),
        **creator_session_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params
    creator = params["creator"]

    errors = validation_errors(params)
    if errors:
        module.fail_json(msg=f"creator {creator}: " + "; ".join(errors), errors=errors)

    try:
        # Checks the theme and the site now; renders only if the published site does not match its inputs.
        site = SiteBuild.from_theme(params["theme_dir"], params["site"], params["scripts_cache_dir"])
        session = CreatorSession.from_params(module)
        s3 = session.client("s3")
        cloudfront = session.global_client("cloudfront") if params["distribution_id"] else None
        result = publish(
            s3,
            cloudfront,
            params["bucket"],
            params["distribution_id"],
            site,
            module.check_mode,
            params["invalidation_threshold"],
            params["max_workers"],
        )
    except SiteBuildError as e:
        module.fail_json(msg=f"creator {creator}: the site cannot be built: {e}", errors=e.problems, changes=[])
    except OSError as e:
        module.fail_json(msg=f"creator {creator}: cannot read the theme in {params['theme_dir']}: {e}", changes=[])
    except (AnsibleCreatorSessionError, PublishError) as e:
        module.fail_converge(f"creator {creator}", e.message, getattr(e, "changes", []), e.exception)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
