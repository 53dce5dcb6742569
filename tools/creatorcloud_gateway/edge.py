# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a CloudFront edge does with a viewer request, for a distribution read from the emulator.

- `serve_site`: the allowed methods, the root object (for `/` only: `/de/` is the key `de/`,
  which is missing, as on CloudFront), the S3 origin, and the custom error responses that turn
  S3's 403 for a missing key into the site's 404 page.
- `finish_viewer_response`: compression, conditional requests and the response headers policy,
  for every response of the distribution.
"""

import gzip

from werkzeug.http import quote_etag
from werkzeug.http import unquote_etag
from werkzeug.wrappers import Response

from creatorcloud_gateway.creator_site import OriginResponse
from creatorcloud_gateway.distribution import S3Origin

# CloudFront compresses objects of 1,000 to 10,000,000 bytes of these types, for these statuses.
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/dash+xml",
        "application/eot",
        "application/font",
        "application/font-sfnt",
        "application/javascript",
        "application/json",
        "application/opentype",
        "application/otf",
        "application/pkcs7-mime",
        "application/protobuf",
        "application/rss+xml",
        "application/truetype",
        "application/ttf",
        "application/vnd.apple.mpegurl",
        "application/vnd.mapbox-vector-tile",
        "application/vnd.ms-fontobject",
        "application/wasm",
        "application/xhtml+xml",
        "application/xml",
        "application/x-font-opentype",
        "application/x-font-truetype",
        "application/x-font-ttf",
        "application/x-httpd-cgi",
        "application/x-javascript",
        "application/x-mpegurl",
        "application/x-opentype",
        "application/x-otf",
        "application/x-perl",
        "application/x-ttf",
        "font/eot",
        "font/opentype",
        "font/otf",
        "font/ttf",
        "image/svg+xml",
        "text/css",
        "text/csv",
        "text/html",
        "text/javascript",
        "text/js",
        "text/plain",
        "text/richtext",
        "text/tab-separated-values",
        "text/xml",
        "text/x-component",
        "text/x-java-source",
        "text/x-script",
        "vnd.apple.mpegurl",
    }
)
COMPRESSIBLE_SIZES = range(1_000, 10_000_001)
COMPRESSIBLE_STATUSES = frozenset({200, 403, 404})
METHOD_NOT_ALLOWED = (
    "This distribution is not configured to allow the HTTP request method that was used for this request. "
    "The distribution supports only cachable requests."
)


def serve_site(request, site_distribution, fetch):
    """The response of the distribution's origin for a viewer request, with custom error pages applied."""
    behavior = site_distribution.behavior_for(request.path)
    if request.method not in behavior.allowed_methods:
        return Response(METHOD_NOT_ALLOWED, status=403, content_type="text/plain")
    path = request.path
    if path == "/" and site_distribution.root_object:
        path = "/" + site_distribution.root_object.lstrip("/")
    answer = fetch_path(site_distribution, fetch, path)
    page = site_distribution.error_pages.get(answer.status)
    if page is not None:
        error_page = fetch_path(site_distribution, fetch, page.page_path)
        # CloudFront answers with the original error when the error page cannot be read either.
        if error_page.status == 200:
            answer = OriginResponse(page.response_code, error_page.headers, error_page.body)
    return Response(answer.body, status=answer.status, headers=answer.headers)


def fetch_path(site_distribution, fetch, path):
    """What the origin of the behavior for `path` answers for it."""
    origin = site_distribution.origins.get(site_distribution.behavior_for(path).origin_id)
    if not isinstance(origin, S3Origin):
        # Only S3 origins are emulated; an API origin is served by a handler bound in the router.
        return OriginResponse(502, {"Content-Type": "text/plain"}, b"The origin of this path is not emulated.")
    return fetch(origin, origin.object_key(path))


def finish_viewer_response(request, response, behavior):
    """Compress, answer conditional requests and add the policy's headers, as the edge does."""
    if behavior.compress and compressible(request, response):
        gzip_body(response)
    if response.status_code == 200:
        response.make_conditional(request)
        # make_conditional adds a Date header, and the HTTP server adds its own.
        response.headers.remove("Date")
    behavior.headers_policy.apply(response.headers)
    return response


def compressible(request, response):
    """True when CloudFront would gzip this response for this viewer."""
    return (
        request.accept_encodings["gzip"] > 0
        and response.status_code in COMPRESSIBLE_STATUSES
        and "Content-Encoding" not in response.headers
        and response.mimetype in COMPRESSIBLE_TYPES
        and len(response.get_data()) in COMPRESSIBLE_SIZES
    )


def gzip_body(response):
    """Replace the body by its gzip; a strong ETag becomes weak, as CloudFront does when it compresses."""
    response.set_data(gzip.compress(response.get_data(), mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if "ETag" in response.headers:
        value, unused_weak = unquote_etag(response.headers["ETag"])
        response.headers["ETag"] = quote_etag(value, weak=True)
