# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The same slices run in the worker (the default) and in a module process (CREATORCLOUD_IN_WORKER=false):
the results, the writes in the emulator's call log and what -vvv prints of secrets are the same.

Each case starts both runs from the same emulator snapshot, so any difference is the path's.
"""

import json

import pytest

TABLES = "tests/integration/playbooks/tables.yml"
SHOP = "tests/integration/playbooks/shop.yml"
CREATOR = "creator1"
ACCOUNT = "210987654321"
SECRET_KEY = "sk_test_51InWorkerParityNeverPrinted0001"
WEBHOOK_SECRET = "whsec_InWorkerParityNeverPrinted0002"
PATHS = {"worker": {}, "process": {"CREATORCLOUD_IN_WORKER": "false"}}
# What -vvv says for each path (plugins/action/in_worker.py).
PATH_LINES = {"worker": "runs in the worker", "process": "runs in a module process: CREATORCLOUD_IN_WORKER is false"}


def writes(calls):
    return [(call["service"], call["operation"]) for call in calls["calls"] if call["kind"] == "write"]


@pytest.fixture
def both_paths(run_playbook, aws, tmp_path):
    """`both_paths(snapshot, playbook, action, *args)`: the playbook run with -vvv on each path from the snapshot.

    Returns {path: (run, the module's results, the writes it made, the log file's text)}.
    """

    def run_both(snapshot, playbook, action, *args):
        outcomes = {}
        for path, env in PATHS.items():
            aws.restore_state(snapshot)
            aws.reset_calls()
            log = tmp_path / f"{path}.log"
            log.unlink(missing_ok=True)
            run = run_playbook(playbook, "-vvv", *args, env={**env, "ANSIBLE_LOG_PATH": str(log)})
            text = log.read_text()
            assert PATH_LINES[path] in text
            outcomes[path] = (run, run.results(CREATOR, action=action), writes(aws.calls()), text)
        return outcomes

    return run_both


# The snapshots that the fixtures below leave (tests/conftest.py names them), which both paths start from.
BARE = "creator1-account"
TABLED = "creator1-tables"


@pytest.fixture
def bare_account(creator1_account):
    """creator1's account and key without tables: the snapshot BARE."""
    return creator1_account


@pytest.fixture
def tabled(bare_account, converged):
    """creator1 with its seed tables: the snapshot TABLED."""
    converged(TABLED, TABLES)


def comparable(result):
    """A result without what differs between any two runs (durations)."""
    return {key: value for key, value in result.items() if key not in ("start", "end", "delta")}


def test_a_no_op_is_the_same_on_both_paths(tabled, both_paths):
    outcomes = both_paths(TABLED, TABLES, "creatorcloud.platform.tables", "--diff")
    (worker_run, worker, worker_writes, worker_log), (process_run, process, process_writes, process_log) = (
        outcomes.values()
    )
    assert worker_run.returncode == process_run.returncode == 0
    assert worker_writes == process_writes == []
    assert [comparable(r) for r in worker] == [comparable(r) for r in process]
    assert worker[0]["changed"] is False and worker[0]["changes"] == []


def test_a_change_and_its_check_mode_are_the_same_on_both_paths(bare_account, both_paths):
    for args in (("--check", "--diff"), ("--diff",)):
        outcomes = both_paths(BARE, TABLES, "creatorcloud.platform.tables", *args)
        (worker_run, worker, worker_writes, worker_log), (process_run, process, process_writes, process_log) = (
            outcomes.values()
        )
        assert worker_run.returncode == process_run.returncode == 0
        assert worker_writes == process_writes
        assert (worker_writes == []) is ("--check" in args)
        assert worker[0]["changed"] is process[0]["changed"] is True
        assert worker[0]["changes"] == process[0]["changes"] and worker[0]["changes"]
        assert worker[0]["diff"] == process[0]["diff"]
        assert worker[0]["invocation"] == process[0]["invocation"]


def test_bad_input_fails_alike_before_any_write(bare_account, both_paths):
    fans = {"name": "Fans", "partition_key": {"name": "fanId", "type": "S"}}
    bad = json.dumps({"tables_seed": [fans, fans]})
    outcomes = both_paths(BARE, TABLES, "creatorcloud.platform.tables", "-e", bad)
    (worker_run, worker, worker_writes, worker_log), (process_run, process, process_writes, process_log) = (
        outcomes.values()
    )
    assert worker_run.returncode == process_run.returncode == 2
    assert worker_writes == process_writes == []
    [worker_failure] = [comparable(r) for r in worker if r.get("failed")]
    [process_failure] = [comparable(r) for r in process if r.get("failed")]
    assert worker_failure == process_failure
    assert worker_failure["msg"] == "creator creator1: table 'Fans' is declared more than once"


def test_secrets_are_masked_alike_and_never_printed(creator_client, aws, both_paths):
    key_arn = creator_client(ACCOUNT, "kms").create_key(Description="creator1's key")["KeyMetadata"]["Arn"]
    aws.save_state("in-worker-shop")
    variables = {
        "account_id": ACCOUNT,
        "account_kms_key_arn": key_arn,
        "creator_stripe_secret_key": SECRET_KEY,
        "creator_stripe_webhook_secret": WEBHOOK_SECRET,
    }
    outcomes = both_paths("in-worker-shop", SHOP, "creatorcloud.platform.shop", "--diff", "-e", json.dumps(variables))
    (worker_run, worker, worker_writes, worker_log), (process_run, process, process_writes, process_log) = (
        outcomes.values()
    )
    assert worker_run.returncode == process_run.returncode == 0
    assert worker_writes == process_writes == [("secretsmanager", "CreateSecret")]
    assert worker[0]["invocation"] == process[0]["invocation"]
    assert worker[0]["invocation"]["module_args"]["stripe_secret_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    # AWS gives each new secret a random ARN suffix: the rest of the diff is the same.
    for result in (worker[0], process[0]):
        result["diff"]["after"].pop("arn")
    assert worker[0]["diff"] == process[0]["diff"]
    for run, log in ((worker_run, worker_log), (process_run, process_log)):
        printed = json.dumps(run.output) + run.stderr + log
        assert SECRET_KEY not in printed and WEBHOOK_SECRET not in printed


def test_the_variable_turns_it_off_too(tabled, aws, run_playbook, tmp_path):
    log = tmp_path / "ansible.log"
    run = run_playbook(TABLES, "-vvv", "-e", "creatorcloud_in_worker=false", env={"ANSIBLE_LOG_PATH": str(log)})
    assert run.returncode == 0
    assert "creatorcloud.platform.tables runs in a module process: creatorcloud_in_worker is false" in log.read_text()
    assert "creatorcloud.platform.tables runs in the worker" not in log.read_text()
    assert aws.calls()["writes"] == 0


def test_a_warning_is_the_same_on_both_paths(tabled, both_paths):
    renamed = json.dumps({"creator_display_name": "Creator Renamed"})
    outcomes = both_paths(TABLED, TABLES, "creatorcloud.platform.creator_account", "-e", renamed)
    (worker_run, worker, worker_writes, _worker_log), (process_run, process, process_writes, _process_log) = (
        outcomes.values()
    )
    assert worker_run.returncode == process_run.returncode == 0
    assert worker_writes == process_writes == []
    assert worker[0]["warnings"] == process[0]["warnings"]
    assert "AWS Organizations cannot rename an account" in worker[0]["warnings"][0]
