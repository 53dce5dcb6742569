# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AnsibleAWSModule for CreatorCloud modules: names our collection in the user agent."""

from ansible_collections.amazon.aws.plugins.module_utils.common import set_collection_info
from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

from ansible_collections.creatorcloud.platform.plugins.module_utils.botocore_loader import share_data_loader
from ansible_collections.creatorcloud.platform.plugins.module_utils.converge import ConvergeError

CREATORCLOUD_COLLECTION_NAME = "creatorcloud.platform"
CREATORCLOUD_COLLECTION_VERSION = "0.1.0"


class CreatorCloudModule(AnsibleAWSModule):
    """AnsibleAWSModule with the collection's name and version in the user agent."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)  # fails the module when boto3 or botocore is missing
        share_data_loader()
        set_collection_info(
            collection_name=CREATORCLOUD_COLLECTION_NAME,
            collection_version=CREATORCLOUD_COLLECTION_VERSION,
        )

    def fail_converge(self, subject, message, changes, exception=None):
        """Fail naming the subject (the creator), what went wrong and what the run had already changed."""
        text = f"{subject}: {message}"
        if changes:
            text += f" (already changed: {'; '.join(changes)})"
        if exception is not None:
            self.fail_json_aws(exception, msg=text, changes=changes)
        self.fail_json(msg=text, changes=changes)

    def fail_on_errors(self, subject, errors):
        """Fail before any AWS call when the input has `errors`, each naming a field and its value."""
        if errors:
            self.fail_json(msg=f"{subject}: " + "; ".join(errors), errors=errors)

    def run_converge(self, subject, run):
        """`run()` a slice's work and return its result; a failed call fails the module naming what had changed.

        A step that failed raises ConvergeError (with the `changes` already made); a service's error or a
        creator session that cannot be made is an AnsibleAWSError.
        """
        try:
            return run()
        except (ConvergeError, AnsibleAWSError) as e:
            return self.fail_converge(subject, e.message, getattr(e, "changes", []), e.exception)

    def exit_converged(self, changes, changed, before, after, **results):
        """Exit with the slice's `results`, the writes it made (or planned, in check mode) and the diff of its state."""
        self.exit_json(changed=changed, changes=changes.made, diff=dict(before=before, after=after), **results)
