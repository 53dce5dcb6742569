# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action of every CreatorCloud module: runs the module inside the Ansible worker.

Every task of this collection runs on the controller (``connection: local``), so a Python process per
module call buys nothing but its cost (a new interpreter, AnsiballZ, and the imports of
``ansible.module_utils.basic``, boto3 and the module_utils: about a second of CPU each). This plugin runs
the module's ``main()`` in the worker instead, the way ansible.netcommon's ``import_modules`` does, with
the imports done once in the controller (``plugin_utils/in_worker.py``). Each module has an action plugin of
its own name in ``plugins/action/`` that is this class: ansible-test's action-plugin-docs wants a module
for every action plugin, and an action plugin named as its module keeps the module's name for
``module_defaults`` and its action group, where a routed plugin of another name would lose both.

The module process stays the fallback, taken when:

- the connection is not local, the task is async or uses become;
- the host's ``ansible_python_interpreter`` is not the Python that runs Ansible (``ansible_playbook_python``);
- the operator turns it off: the variable ``creatorcloud_in_worker: false``, or ``CREATORCLOUD_IN_WORKER=false``
  in the environment of ansible-playbook.

Both paths give the same result: the same arguments, serialised and decoded with the same profile; the
same ``no_log`` masking, warnings, deprecations, failures and tracebacks, which the module itself
produces; the same parsing of its result. ``-vvv`` says which path a task took.
"""

import multiprocessing
import os
import sys
from collections.abc import Sequence

from ansible.module_utils.common.validation import check_type_bool
from ansible.module_utils.six import string_types
from ansible.plugins.action.normal import ActionModule as NormalActionModule
from ansible.utils.display import Display
from ansible.vars.clean import remove_internal_keys

from ansible_collections.creatorcloud.platform.plugins.plugin_utils.in_worker import preload_slices
from ansible_collections.creatorcloud.platform.plugins.plugin_utils.in_worker import run_module

display = Display()

SWITCH_VARIABLE = "creatorcloud_in_worker"
SWITCH_ENVIRONMENT = "CREATORCLOUD_IN_WORKER"
# ansible-core's module metadata is experimental and off by default: every module then uses this profile.
SERIALIZATION_PROFILE = "legacy"

# The linear and free strategies load a task's action plugin in the controller before they fork its worker:
# the imports and botocore's data loaded now are inherited by every worker. A worker that imports this
# itself (another strategy) imports only the module it runs.
if multiprocessing.parent_process() is None:
    preload_slices()


def switched_off(task_vars, templar):
    """Why the operator turned in-worker execution off, or None."""
    if not check_type_bool(os.environ.get(SWITCH_ENVIRONMENT, "true")):
        return f"{SWITCH_ENVIRONMENT} is false"
    if not check_type_bool(templar.template(task_vars.get(SWITCH_VARIABLE, True))):
        return f"{SWITCH_VARIABLE} is false"
    return None


class InWorkerAction(NormalActionModule):
    """The normal action, with the module run in the worker where that gives the same result."""

    def _execute_module(
        self,
        module_name=None,
        module_args=None,
        tmp=None,
        task_vars=None,
        persist_files=False,
        delete_remote_tmp=None,
        wrap_async=False,
        ignore_unknown_opts=False,
    ):
        task_vars = task_vars if task_vars is not None else {}
        module_name = module_name or self._task.action
        reason = self._module_process_needed(task_vars, wrap_async)
        if reason:
            display.vvv(
                f"creatorcloud: {module_name} runs in a module process: {reason}", host=self._play_context.remote_addr
            )
            return super()._execute_module(
                module_name,
                module_args,
                tmp,
                task_vars,
                persist_files,
                delete_remote_tmp,
                wrap_async,
                ignore_unknown_opts,
            )
        display.vvv(f"creatorcloud: {module_name} runs in the worker", host=self._play_context.remote_addr)
        module_args = self._task.args if module_args is None else module_args
        return self._execute_in_worker(module_name, module_args, task_vars, ignore_unknown_opts)

    def _module_process_needed(self, task_vars, wrap_async):
        """Why this task must run its module in a process of its own, or None when the worker can run it."""
        if wrap_async or self._task.async_val:
            return "the task is async"
        if self._connection.transport != "local":
            return f"the connection is {self._connection.transport}, not local"
        if self._play_context.become:
            return "the task uses become"
        host_vars = task_vars
        if self._task.delegate_to:
            host_vars = task_vars.get("ansible_delegated_vars", {}).get(self._task.delegate_to, task_vars)
        interpreter = self._templar.template(host_vars.get("ansible_python_interpreter", ""))
        if not interpreter or os.path.abspath(interpreter) != os.path.abspath(sys.executable):
            return f"ansible_python_interpreter ({interpreter or 'discovered'}) is not {sys.executable}"
        return switched_off(task_vars, self._templar)

    def _execute_in_worker(self, module_name, module_args, task_vars, ignore_unknown_opts):
        """What ``ActionBase._execute_module`` does, with the module's process replaced by a call in the worker."""
        self._update_module_args(module_name, module_args, task_vars, ignore_unknown_opts=ignore_unknown_opts)
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(
            module_name, collection_list=self._task.collections
        )
        environment = {}
        self._compute_environment_string(environment)
        stdout, stderr = run_module(context.plugin_resolved_name, module_args, SERIALIZATION_PROFILE, environment)
        data = self._parse_returned_data(dict(stdout=stdout, stderr=stderr, rc=0), SERIALIZATION_PROFILE)
        data.pop("_ansible_suppress_tmpdir_delete", None)
        if "results" in data and (
            not isinstance(data["results"], Sequence) or isinstance(data["results"], string_types)
        ):
            data["ansible_module_results"] = data.pop("results")
            display.warning("Found internal 'results' key in module return, renamed to 'ansible_module_results'.")
        remove_internal_keys(data)
        for stream in ("stdout", "stderr"):
            if stream in data and f"{stream}_lines" not in data:
                data[f"{stream}_lines"] = (data.get(stream) or "").splitlines()
        return data
