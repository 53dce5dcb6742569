# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The events module runs in the Ansible worker: plugin_utils/in_worker_action.py."""

from ansible_collections.creatorcloud.platform.plugins.plugin_utils.in_worker_action import InWorkerAction


class ActionModule(InWorkerAction):
    pass
