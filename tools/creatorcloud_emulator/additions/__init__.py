# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""APIs that moto lacks or answers wrongly, registered with moto before the server starts."""

from . import apigatewayv2
from . import awslambda
from . import backup
from . import cloudfront
from . import cloudfront_policies
from . import cognito_mail
from . import cognito_srp
from . import dynamodb
from . import dynamodb_pitr
from . import dynamodb_transactions
from . import ivs
from . import ivschat
from . import policy_conditions


def register():
    """Register every addition with moto. Called once, before the server app is built."""
    ivs.register()
    backup.register()
    apigatewayv2.register()
    cloudfront.register()
    cloudfront_policies.register()
    ivschat.register()
    policy_conditions.register()
    dynamodb.register()
    # Before dynamodb_pitr, which records what each transaction wrote around it.
    dynamodb_transactions.register()
    dynamodb_pitr.register()
    awslambda.register()
    cognito_srp.register()
    cognito_mail.register()
