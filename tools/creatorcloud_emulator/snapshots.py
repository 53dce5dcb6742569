# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named snapshots of the emulator's state: every account's resources, saved and restored in the process.

A test that starts from a creator with an organization, an account, a key and tables pays for the
playbooks that build them once, saves the state, and restores it before each test: a restore is a
deep copy in memory, where the playbooks take tens of seconds. This is test tooling of the emulator,
like moto's own reset; nothing in the collection uses it.

    POST   /_creatorcloud/snapshots/<name>            save the state now under <name> (replaces an older one)
    POST   /_creatorcloud/snapshots/<name>/restore    make the state what it was when <name> was saved
    GET    /_creatorcloud/snapshots                   the names saved
    DELETE /_creatorcloud/snapshots                   forget every snapshot

A restore replaces the state of every service, as moto's reset (`/moto-api/reset`) does; the reset
does not forget snapshots. Saving and restoring expect no request in flight (the tests' fixtures
call them between playbook runs). The state is every moto backend of every account and region,
with what the additions keep in them (the mailbox, SRP challenges, chat rooms' settings).
"""

import collections
import copy
import threading
from typing import NamedTuple

from creatorcloud_emulator.json_answer import json_response

SNAPSHOTS_PATH = "/_creatorcloud/snapshots"
_RESTORE_SUFFIX = "/restore"
_SNAPSHOTS = {}
_LOCK = threading.Lock()


class UnknownSnapshot(KeyError):
    """No snapshot has that name."""


# A BackendDict's own attributes; any other (S3's bucket_accounts: bucket name -> account) is state.
_SERVICE_ATTRIBUTES = frozenset({"backend", "service_name", "_use_boto3_regions", "_additional_regions", "_id"})


class ServiceState(NamedTuple):
    """One service's state: its BackendDict, its regional backends by account, its own state attributes."""

    backends: object
    accounts: dict
    attributes: dict


def _live_state():
    """The ServiceState of every service in use."""
    from moto.core.base_backend import BackendDict

    return [
        ServiceState(
            backends,
            {account: dict(by_region) for account, by_region in backends.items()},
            {name: value for name, value in vars(backends).items() if name not in _SERVICE_ATTRIBUTES},
        )
        for backends in list(BackendDict._instances)  # pylint: disable=protected-access
    ]


def _copied(state):
    """A deep copy of `state` and copy's memo; the BackendDicts themselves (the services) are kept, not copied."""
    _teach_deepcopy()
    memo = {id(service.backends): service.backends for service in state}
    copied = [
        ServiceState(service.backends, copy.deepcopy(service.accounts, memo), copy.deepcopy(service.attributes, memo))
        for service in state
    ]
    return copied, memo


def _copy_keyed_mapping(mapping, memo):
    """A deep copy of a dict subclass whose constructor takes arguments, so copy's default (cls()) fails."""
    cls = type(mapping)
    copied = cls.__new__(cls)
    memo[id(mapping)] = copied
    if isinstance(mapping, collections.defaultdict):
        copied.default_factory = mapping.default_factory
    copied.__dict__.update(copy.deepcopy(mapping.__dict__, memo))
    for key, value in mapping.items():
        dict.__setitem__(copied, copy.deepcopy(key, memo), copy.deepcopy(value, memo))
    return copied


def _teach_deepcopy():
    """Give moto's mappings that take constructor arguments a deep copy (moto has none of its own)."""
    from moto.ssm.models import ParameterDict

    for cls in (ParameterDict,):
        if "__deepcopy__" not in cls.__dict__:
            cls.__deepcopy__ = _copy_keyed_mapping


def _untrack(objects):
    """Take `objects` off moto's lists of model instances, so moto's reset does not dispose of a snapshot's
    S3 objects (it closes the buffers of every FakeKey it tracks, and the copies are tracked when made)."""
    from moto.core.model_instances import model_data

    ids = {id(item) for item in objects}
    for models in model_data.values():
        for model in models.values():
            model.instances_tracked[:] = [item for item in model.instances_tracked if id(item) not in ids]


def save(name):
    """Save the state under `name`; returns how many regional backends it holds."""
    from moto.core.base_backend import backend_lock

    with _LOCK, backend_lock:
        snapshot, memo = _copied(_live_state())
        _untrack(memo.values())
        _SNAPSHOTS[name] = snapshot
    return sum(len(regions) for service in snapshot for regions in service.accounts.values())


def restore(name):
    """Make the state what it was when `name` was saved (raises UnknownSnapshot); the snapshot stays."""
    from moto.core.base_backend import BackendDict
    from moto.core.base_backend import backend_lock

    with _LOCK, backend_lock:
        if name not in _SNAPSHOTS:
            raise UnknownSnapshot(name)
        # As moto's reset: close S3's buffers (of every FakeKey moto tracks), forget every service's backends.
        # Before the copy, whose objects are tracked as they are made and must stay open.
        BackendDict.reset()
        state, unused_memo = _copied(_SNAPSHOTS[name])  # a fresh copy: the snapshot can be restored again
        for service in state:
            vars(service.backends).update(service.attributes)
            for account, regions in service.accounts.items():
                by_region = service.backends[account]  # a new AccountSpecificBackend; the service is in use again
                for region, backend in regions.items():
                    dict.__setitem__(by_region, region, backend)


def names():
    with _LOCK:
        return sorted(_SNAPSHOTS)


def forget():
    with _LOCK:
        _SNAPSHOTS.clear()


class SnapshotsRoute:
    """WSGI middleware that answers SNAPSHOTS_PATH and passes every other request on to `app`."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path != SNAPSHOTS_PATH and not path.startswith(SNAPSHOTS_PATH + "/"):
            return self.app(environ, start_response)
        method = environ["REQUEST_METHOD"]
        name = path[len(SNAPSHOTS_PATH) + 1 :]
        if not name:
            if method == "GET":
                return json_response(start_response, "200 OK", {"snapshots": names()})
            if method == "DELETE":
                forget()
                return json_response(start_response, "200 OK", {"snapshots": []})
            return json_response(start_response, "405 Method Not Allowed", {"message": "GET or DELETE"})
        if method != "POST":
            return json_response(start_response, "405 Method Not Allowed", {"message": "POST"})
        if name.endswith(_RESTORE_SUFFIX):
            name = name[: -len(_RESTORE_SUFFIX)]
            try:
                restore(name)
            except UnknownSnapshot:
                return json_response(start_response, "404 Not Found", {"message": f"no snapshot named {name!r}"})
            return json_response(start_response, "200 OK", {"restored": name})
        if "/" in name:
            return json_response(start_response, "404 Not Found", {"message": f"no such route: {path}"})
        return json_response(start_response, "200 OK", {"saved": name, "backends": save(name)})
