# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark callback: the CPU seconds of ansible-playbook's own process, without its workers.

The benchmarks measure the CPU of ansible-playbook and all its children; this tells how much of it
the controller process itself spent (the strategy, variables, templating of loops and conditions,
result handling, callbacks), which runs on one core whatever the number of forks. Enabled only by
the benchmarks (tools/bench.py `controller_cpu_env`), it writes
``{"controller_cpu_seconds": ...}`` to the file named by CREATORCLOUD_CONTROLLER_CPU_FILE when the
playbook ends.
"""

import json
import os
import resource

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: controller_cpu
type: aggregate
short_description: Write the controller process's CPU seconds to a file when the playbook ends
description:
  - Benchmark helper of the CreatorCloud repository, not part of the collection.
requirements:
  - the file path in the environment variable E(CREATORCLOUD_CONTROLLER_CPU_FILE)
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "controller_cpu"
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("CREATORCLOUD_CONTROLLER_CPU_FILE")
        if path:
            usage = resource.getrusage(resource.RUSAGE_SELF)  # this process and its threads, not the workers
            with open(path, "w", encoding="utf-8") as stream:
                json.dump({"controller_cpu_seconds": usage.ru_utime + usage.ru_stime}, stream)
