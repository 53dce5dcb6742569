# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""DynamoDB: UpdateTable changes encryption, and adds to the attribute definitions, as in AWS.

moto 5.2.5 ignores the SSESpecification of UpdateTable, so a table stays encrypted with the key
it was created with (or not at all), and it replaces the table's AttributeDefinitions with the
ones sent, where AWS adds them to the table's: after adding an index, the table would no longer
define its own key attributes. Both answers would make a converge change the table on every run.
"""

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.responses import DynamoHandler

_moto_backend_update_table = DynamoDBBackend.update_table
_moto_handler_update_table = DynamoHandler.update_table


def merged_attribute_definitions(current, sent):
    """The table's attribute definitions with those sent added (a sent type replaces the current one)."""
    merged = {item["AttributeName"]: item for item in current}
    merged.update((item["AttributeName"], item) for item in sent)
    return list(merged.values())


def backend_update_table(self, name, attr_definitions, **kwargs):
    """moto's update_table, with the sent attribute definitions added to the table's."""
    if attr_definitions:
        attr_definitions = merged_attribute_definitions(self.get_table(name).attr, attr_definitions)
    return _moto_backend_update_table(self, name, attr_definitions=attr_definitions, **kwargs)


def sse_after(table, specification):
    """The table's SSE specification once `specification` is applied; None is AWS's own key."""
    if not specification.get("Enabled", True):
        return None
    key = specification.get("KMSMasterKeyId") or table._get_default_encryption_key(table.account_id, table.region_name)
    return {"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key}


def handler_update_table(self):
    """moto's UpdateTable, which first applies the SSESpecification that moto ignores."""
    specification = self.body.get("SSESpecification")
    if specification:
        table = self.dynamodb_backend.get_table(self.body["TableName"])
        table.sse_specification = sse_after(table, specification)
    return _moto_handler_update_table(self)


def register():
    DynamoDBBackend.update_table = backend_update_table
    DynamoHandler.update_table = handler_update_table
