# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CloudFront: keep the origin and viewer-certificate members that moto's distribution models drop.

moto's Origin keeps neither OriginAccessControlId nor S3OriginConfig, and its ViewerCertificate
answers CloudFrontDefaultCertificate true for an ACM certificate sent without it, plus empty
IAMCertificateId and Certificate members. DistributionConfig builds both from the names in
moto.cloudfront.models, for create and update alike, so replacing those names fixes every answer.
"""

from moto.cloudfront import models


class Origin(models.Origin):
    """moto's origin, plus OriginAccessControlId and S3OriginConfig as they were sent."""

    def __init__(self, origin):
        super().__init__(origin)
        self.origin_access_control_id = origin.get("OriginAccessControlId", "")
        if "S3OriginConfig" in origin:
            self.s3_origin_config = origin["S3OriginConfig"]


class ViewerCertificate(models.ViewerCertificate):
    """moto's viewer certificate, with the members AWS derives from the certificate that was sent."""

    def __init__(self, config):
        super().__init__(config)
        self.acm_certificate_arn = config.get("ACMCertificateArn")
        self.iam_certificate_id = config.get("IAMCertificateId")
        custom = self.acm_certificate_arn or self.iam_certificate_id
        self.cloud_front_default_certificate = config.get("CloudFrontDefaultCertificate", not custom)
        self.certificate = custom
        self.certificate_source = (
            "acm" if self.acm_certificate_arn else "iam" if self.iam_certificate_id else "cloudfront"
        )


def register():
    """Make moto's distribution configs use Origin and ViewerCertificate."""
    models.Origin = Origin
    models.ViewerCertificate = ViewerCertificate
