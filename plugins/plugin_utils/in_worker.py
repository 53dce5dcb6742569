# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a collection module's ``main()`` inside the Ansible worker, as AnsiballZ would run it in a process.

The module sees exactly what it would see in its own process: its parameters arrive as the JSON that
AnsiballZ would have sent, decoded by ``ansible.module_utils.basic`` with the same serialisation profile,
and its result leaves as the JSON it would have printed (``_record_module_result``, ansible-core 2.19's
hook for direct execution), for the action plugin to parse with ``_parse_returned_data`` like any
module's output. What differs is only what a process would have paid for: a new interpreter, the
AnsiballZ payload, and the imports, which :func:`preload_slices` does once in the controller.
"""

import contextlib
import importlib
import io
import json
import os
import pkgutil

from ansible.module_utils import basic
from ansible.module_utils._internal._ansiballz import _loader
from ansible.module_utils.common import warnings as module_warnings
from ansible.module_utils.common.json import Direction
from ansible.module_utils.common.json import get_module_encoder

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.botocore_loader import load_slice_services

MODULES_PACKAGE = "ansible_collections.creatorcloud.platform.plugins.modules"


def preload_slices():
    """Import every module of the collection (with them boto3, botocore and all module_utils), parse botocore's data.

    Called in the controller when it first loads a module's action plugin, before it forks the task's
    worker, so that every worker inherits these imports.
    """
    package = importlib.import_module(MODULES_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{MODULES_PACKAGE}.{info.name}")
    load_slice_services()


@contextlib.contextmanager
def task_environment(environment):
    """The task's ``environment:`` in os.environ while the module runs, as the module process would have it."""
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update({name: str(value) for name, value in environment.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def module_globals(json_params, profile, module_class):
    """Set what AnsiballZ sets in ``basic`` and what amazon.aws reads, and clear it again after the run.

    A worker runs every item of a loop, so warnings and deprecations of one run must not reach the next.
    """
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    settings = AnsibleAWSModule.default_settings
    saved_class = settings["module_class"]
    module_warnings._global_warnings.clear()
    module_warnings._global_deprecations.clear()
    basic._ANSIBLE_ARGS, basic._ANSIBLE_PROFILE = json_params, profile
    settings["module_class"] = module_class
    try:
        yield
    finally:
        settings["module_class"] = saved_class
        basic._ANSIBLE_ARGS = basic._ANSIBLE_PROFILE = basic._PARSED_MODULE_ARGS = None
        module_warnings._global_warnings.clear()
        module_warnings._global_deprecations.clear()


def run_module(module_fqn, module_args, profile, environment):
    """Run the module ``module_fqn`` with ``module_args``; returns what its process would have printed, and its stderr.

    ``module_args`` are the task's arguments with the ``_ansible_*`` keys that ``_update_module_args`` added.
    """
    json_params = json.dumps(
        dict(ANSIBLE_MODULE_ARGS=module_args), cls=get_module_encoder(profile, Direction.CONTROLLER_TO_MODULE)
    )
    results = []

    class InWorkerModule(basic.AnsibleModule):
        """An AnsibleModule that hands its result to the worker instead of printing it."""

        def _record_module_result(self, o):
            results.append(json.dumps(o, cls=get_module_encoder(profile, Direction.MODULE_TO_CONTROLLER)))

    stdout, stderr = io.StringIO(), io.StringIO()
    with (
        module_globals(json_params.encode(), profile, InWorkerModule),
        task_environment(environment),
        contextlib.redirect_stdout(stdout),
        contextlib.redirect_stderr(stderr),
    ):
        try:
            importlib.import_module(module_fqn).main()
            raise RuntimeError("New-style module did not handle its own exit.")
        except SystemExit:
            pass
        except Exception as ex:  # pylint: disable=broad-exception-caught
            # What AnsiballZ does with an exception that escaped the module: a failed result with its summary.
            with contextlib.suppress(SystemExit):
                _loader._handle_exception(ex, profile)
    printed = stdout.getvalue()
    return (results[-1] if results else printed), stderr.getvalue()
