# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lambda: UpdateFunctionCode changes the function's architecture, as in AWS.

In AWS the instruction set architecture is a parameter of UpdateFunctionCode (a new zip may be
built for another architecture), not of UpdateFunctionConfiguration. moto 5.2.5 ignores it, so a
function created for x86_64 stays x86_64 and a converge would upload its code on every run.
"""

from moto.awslambda.models import LambdaFunction

_moto_update_function_code = LambdaFunction.update_function_code


def update_function_code(self, updated_spec):
    """moto's update_function_code, which also sets Architectures when the request sends it."""
    if updated_spec.get("Architectures") and not updated_spec.get("DryRun"):
        self.architectures = list(updated_spec["Architectures"])
    return _moto_update_function_code(self, updated_spec)


def register():
    LambdaFunction.update_function_code = update_function_code
