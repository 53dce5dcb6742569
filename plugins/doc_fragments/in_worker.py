# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    # Every module of the collection runs through its own action plugin (plugin_utils/in_worker_action.py).
    DOCUMENTATION = r"""
attributes:
  action:
    description: Runs through an action plugin of the same name, which runs the module inside the Ansible worker.
    support: full
notes:
  - This module runs inside the Ansible worker process instead of a module process of its own
    (the module's action plugin, as ansible.netcommon's C(import_modules) does),
    so a task costs no new interpreter, no AnsiballZ payload and no imports; the results are the same.
  - It falls back to a module process when the connection is not C(local), the task is async or uses become,
    the host's C(ansible_python_interpreter) is not the Python that runs Ansible, or the operator turns it off
    with the variable C(creatorcloud_in_worker=false) or C(CREATORCLOUD_IN_WORKER=false) in the environment.
    C(-vvv) says which way each task ran.
"""
