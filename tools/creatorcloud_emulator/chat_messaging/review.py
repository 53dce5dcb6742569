# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A room's message review handler: the emulated Lambda function, run in-process as IVS Chat invokes it.

The function is found by its ARN in the emulated Lambda and run by the local gateway's
lambda_runtime (its Handler imported from files/backend, its Environment applied, its execution
role's credentials). Its answer decides: ALLOW (with optionally rewritten Content and
Attributes) or DENY; when it raises, answers something invalid or is too slow, the room's
fallbackResult decides, as IVS Chat does.
"""

import asyncio
import logging
import threading
from dataclasses import dataclass

import boto3
from creatorcloud_gateway.creator_access import MANAGEMENT_CREDENTIALS
from creatorcloud_gateway.lambda_runtime import LambdaFunctions

# IVS Chat's quota is 200 ms; the emulator allows more because the first call imports the backend
# and assumes the function's role through the emulator's HTTP endpoint.
REVIEW_TIMEOUT_SECONDS = 2.0
# Function configurations are re-read this often, so a redeployed handler is picked up.
CONFIG_TTL_SECONDS = 5
REVIEW_RESULTS = ("ALLOW", "DENY")

log = logging.getLogger("creatorcloud_emulator.chat")


@dataclass(frozen=True)
class Verdict:
    """What review decided for a message: delivered or not, and with which content and attributes."""

    allowed: bool
    content: str
    attributes: dict


class AccountAccess:
    """Clients in one account of this emulator, through the creator role as the gateway acts."""

    def __init__(self, account_id, endpoint_url):
        self.account_id = account_id
        self.creator = f"account-{account_id}"
        self.endpoint_url = endpoint_url
        self._lock = threading.Lock()
        self._credentials = None

    def client(self, service, region="us-east-1"):
        """A boto3 client in the account (credentials of the assumed creator role)."""
        with self._lock:
            if self._credentials is None:
                self._credentials = self._assume_creator_role()
            return boto3.client(service, region_name=region, endpoint_url=self.endpoint_url, **self._credentials)

    def _assume_creator_role(self):
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=self.endpoint_url, **MANAGEMENT_CREDENTIALS)
        credentials = sts.assume_role(
            RoleArn=f"arn:aws:iam::{self.account_id}:role/OrganizationAccountAccessRole",
            RoleSessionName="creatorcloud-chat-review",
        )["Credentials"]
        return {
            "aws_access_key_id": credentials["AccessKeyId"],
            "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"],
        }


class MessageReview:
    """Runs rooms' review handlers; one LambdaFunctions per account, so configurations are cached."""

    def __init__(self, endpoint_url, timeout=REVIEW_TIMEOUT_SECONDS):
        self.endpoint_url = endpoint_url
        self.timeout = timeout
        self._functions = {}
        self._lock = threading.Lock()

    async def review(self, room, event):
        """The Verdict on `event` (IVS's review event) by the room's handler, or its fallbackResult."""
        handler = room.get("messageReviewHandler") or {}
        if not handler.get("uri"):
            return Verdict(True, event["Content"], event["Attributes"])
        try:
            answer = await asyncio.wait_for(asyncio.to_thread(self._invoke, handler["uri"], event), self.timeout)
            return verdict_of(answer, event)
        except Exception:  # an error, a timeout or a bad answer of the handler is the fallback's case
            log.exception("message review handler %s failed; fallbackResult applies", handler["uri"])
            allowed = handler.get("fallbackResult", "ALLOW") == "ALLOW"
            return Verdict(allowed, event["Content"], event["Attributes"])

    def _invoke(self, function_arn, event):
        return self._functions_of(function_arn.split(":")[4]).invoke(function_arn, event)

    def _functions_of(self, account_id):
        with self._lock:
            if account_id not in self._functions:
                access = AccountAccess(account_id, self.endpoint_url)
                self._functions[account_id] = LambdaFunctions(access, config_ttl=CONFIG_TTL_SECONDS)
            return self._functions[account_id]


def review_event(room_arn, message_id, content, attributes, sender_id, sender_attributes, ip):
    """The event IVS Chat sends a message review handler."""
    return {
        "Content": content,
        "MessageId": message_id,
        "RoomArn": room_arn,
        "Attributes": attributes,
        "Sender": {"UserId": sender_id, "Attributes": sender_attributes, "Ip": ip},
    }


def verdict_of(answer, event):
    """The Verdict in a handler's answer; ValueError when the answer is not a valid review result."""
    if not isinstance(answer, dict) or answer.get("ReviewResult") not in REVIEW_RESULTS:
        raise ValueError(f"ReviewResult must be one of {REVIEW_RESULTS}: {answer!r}")
    content = answer.get("Content", event["Content"])
    attributes = answer.get("Attributes", event["Attributes"])
    if not isinstance(content, str) or not isinstance(attributes, dict):
        raise ValueError(f"Content must be a string and Attributes an object: {answer!r}")
    return Verdict(answer["ReviewResult"] == "ALLOW", content, attributes)
