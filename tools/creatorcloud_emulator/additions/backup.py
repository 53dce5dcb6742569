# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWS Backup: backup selections and UpdateBackupPlan, on top of moto's backup plans; and AWS's managed
policies for AWS Backup in IAM, which moto loads only with all the others (MOTO_IAM_LOAD_MANAGED_POLICIES)."""

import json
import re

from moto.backup import models
from moto.backup import responses
from moto.backup import urls
from moto.backup.exceptions import InvalidParameterValueException
from moto.backup.exceptions import InvalidRequestException
from moto.backup.exceptions import ResourceNotFoundException
from moto.core.responses import ActionResult
from moto.core.responses import EmptyResult
from moto.core.utils import utcnow
from moto.iam import models as iam_models
from moto.iam.aws_managed_policies import aws_managed_policies_data
from moto.moto_api._internal import mock_random

from .common import MotoUrls
from .common import paginate
from .common import route
from .common import use_backend

SELECTION_NAME = r"[a-zA-Z0-9\-\_\.]{1,50}"
IAM_ROLE_ARN = r"arn:aws[a-z-]*:iam::[0-9]{12}:role/.+"
CONDITION_OPERATORS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
SELECTION_SUMMARY = ("SelectionId", "BackupPlanId", "CreationDate", "CreatorRequestId")
# The policies a role for AWS Backup attaches; loading all of AWS's (about 1,400) would slow every account down.
BACKUP_MANAGED_POLICIES = (
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
)


class BackupBackend(MotoUrls, models.BackupBackend):
    """moto's Backup backend with backup selections and plan updates."""

    urls_module = urls.__name__

    def __init__(self, region_name, account_id):
        super().__init__(region_name, account_id)
        self.selections = {}  # backup plan id -> selection id -> selection

    def _live_plan(self, plan_id):
        plan = self.plans.get(plan_id)
        if plan is None or plan.deletion_date is not None:
            raise ResourceNotFoundException(msg=f"Backup plan {plan_id} not found")
        return plan

    def update_backup_plan(self, plan_id, backup_plan):
        """Replace the plan's rules and settings; the plan gets a new VersionId and its rules new RuleIds."""
        plan = self._live_plan(plan_id)
        revised = models.Plan(backup_plan=backup_plan, creator_request_id=plan.creator_request_id, backend=self)
        plan.backup_plan = revised.backup_plan
        plan.version_id = revised.version_id
        plan.advanced_backup_settings = revised.advanced_backup_settings
        return plan

    def delete_backup_plan(self, backup_plan_id):
        """As AWS does, refuse to delete a plan that still has selections."""
        if self.selections.get(backup_plan_id):
            raise InvalidRequestException(
                msg="Related backup plan selections must be deleted prior to backup plan deletion"
            )
        return super().delete_backup_plan(backup_plan_id)

    def create_backup_selection(self, plan_id, selection, creator_request_id=None):
        self._live_plan(plan_id)
        _validate_selection(selection)
        record = {
            "SelectionId": str(mock_random.uuid4()),
            "BackupPlanId": plan_id,
            "CreationDate": utcnow(),
            "CreatorRequestId": creator_request_id,
            "BackupSelection": _with_defaults(selection),
        }
        self.selections.setdefault(plan_id, {})[record["SelectionId"]] = record
        return record

    def get_backup_selection(self, plan_id, selection_id):
        self._live_plan(plan_id)
        selection = self.selections.get(plan_id, {}).get(selection_id)
        if selection is None:
            raise ResourceNotFoundException(msg=f"Backup selection {selection_id} not found in plan {plan_id}")
        return selection

    def list_backup_selections(self, plan_id, max_results=None, next_token=None):
        """Summaries of the plan's selections, a page at a time."""
        self._live_plan(plan_id)
        if max_results is not None and not 1 <= max_results <= 1000:
            raise InvalidParameterValueException(msg="MaxResults must be between 1 and 1000")
        selections = self.selections.get(plan_id, {}).values()
        page, next_token = paginate(
            selections, max_results, next_token, 1000, "SelectionId", InvalidParameterValueException, plan=plan_id
        )
        return [_summary(selection) for selection in page], next_token

    def delete_backup_selection(self, plan_id, selection_id):
        self.get_backup_selection(plan_id, selection_id)
        del self.selections[plan_id][selection_id]


def _validate_selection(selection):
    if not re.fullmatch(SELECTION_NAME, selection.get("SelectionName", "")):
        raise InvalidParameterValueException(msg=f"Invalid SelectionName: {selection.get('SelectionName')}")
    if not re.fullmatch(IAM_ROLE_ARN, selection.get("IamRoleArn", "")):
        raise InvalidParameterValueException(msg=f"Invalid IamRoleArn: {selection.get('IamRoleArn')}")


def _with_defaults(selection):
    """The selection as AWS returns it: absent lists and condition operators are empty."""
    conditions = {operator: [] for operator in CONDITION_OPERATORS}
    conditions.update(selection.get("Conditions") or {})
    return {"Resources": [], "ListOfTags": [], "NotResources": [], **selection, "Conditions": conditions}


def _summary(selection):
    summary = {key: selection[key] for key in SELECTION_SUMMARY}
    summary["SelectionName"] = selection["BackupSelection"]["SelectionName"]
    summary["IamRoleArn"] = selection["BackupSelection"]["IamRoleArn"]
    return summary


class BackupResponse(responses.BackupResponse):
    """moto's Backup responses plus selections and UpdateBackupPlan."""

    def _body(self):
        return json.loads(self.body or "{}")

    def update_backup_plan(self):
        plan = self.backup_backend.update_backup_plan(self.uri_match["backupPlanId"], self._body()["BackupPlan"])
        return json.dumps(plan.to_dict())

    def create_backup_selection(self):
        body = self._body()
        record = self.backup_backend.create_backup_selection(
            self.uri_match["backupPlanId"], body["BackupSelection"], body.get("CreatorRequestId")
        )
        return ActionResult({key: record[key] for key in ("SelectionId", "BackupPlanId", "CreationDate")})

    def get_backup_selection(self):
        return ActionResult(
            self.backup_backend.get_backup_selection(self.uri_match["backupPlanId"], self.uri_match["selectionId"])
        )

    def list_backup_selections(self):
        selections, next_token = self.backup_backend.list_backup_selections(
            self.uri_match["backupPlanId"], self._get_int_param("maxResults"), self._get_param("nextToken")
        )
        return ActionResult({"BackupSelectionsList": selections, "NextToken": next_token})

    def delete_backup_selection(self):
        self.backup_backend.delete_backup_selection(self.uri_match["backupPlanId"], self.uri_match["selectionId"])
        return EmptyResult()


def _with_backup_policies(init_aws_policies, policy_data):
    """IAMBackend._init_aws_policies that also gives every account the AWS Backup policies of `policy_data`."""

    def init(backend):
        policies = init_aws_policies(backend)
        known = {policy.name for policy in policies}
        return policies + [
            iam_models.AWSManagedPolicy.from_data(name, backend.account_id, backend.region_name, data)
            for name, data in policy_data.items()
            if name not in known
        ]

    return init


def register():
    """Build BackupBackend for AWS Backup and answer its requests with BackupResponse; add the Backup policies."""
    use_backend(models.backup_backends, BackupBackend)
    route([urls.url_paths], responses.BackupResponse, BackupResponse)
    every_policy = json.loads(aws_managed_policies_data)
    policy_data = {name: every_policy[name] for name in BACKUP_MANAGED_POLICIES}
    iam_models.IAMBackend._init_aws_policies = _with_backup_policies(
        iam_models.IAMBackend._init_aws_policies, policy_data
    )
