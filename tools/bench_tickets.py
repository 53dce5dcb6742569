# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: ticket checkouts through creator1's local gateway, from the first ticket to the last.

Starts a fresh emulator on a free port, bootstraps the organization and onboards creator1 with the
features website, auth, shop and events and one event of --capacity tickets (the events slice writes
it), starts the Stripe stand-in and creator1's gateway, and signs in --fans fans (Cognito in the
emulator). Then --clients concurrent clients, each a fan, POST /api/events/<id>/checkout for one
ticket again and again until the API answers sold_out. Every request goes through the gateway's JWT
check to the events function in-process, whose transaction takes the ticket in the emulator's
DynamoDB, and which opens a Checkout Session on the stand-in.

Reports checkouts per second (tickets held / seconds from the first request to the sold-out of the
last client), each request's latency (p50, p99) for holds and refusals, and the event's counters
afterwards (never more held or sold than the capacity). Prints a table and JSON.
"""

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
sys.path.insert(0, str(REPO / "tests"))

from bench import fresh_emulator  # noqa: E402
from creatorcloud_gateway import launcher as gateway_launcher  # noqa: E402
from creatorcloud_stripe import launcher as stripe_launcher  # noqa: E402
from playbook_runner import run  # noqa: E402

CREATOR = "creator1"
REGION = "eu-central-1"
EVENT_ID = "bench-show"
FAN_PASSWORD = "Bench-Password-1234"
MANAGEMENT = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def bench_event(capacity):
    """The event the bench sells out, as creator_events declares it."""
    return {
        "id": EVENT_ID,
        "title": "Benchmark show",
        "start": "2030-06-01T20:00",
        "end": "2030-06-01T23:00",
        "time_zone": "Europe/Berlin",
        "location": "Bench hall",
        "price": 1500,
        "capacity": capacity,
    }


def onboard(env, capacity):
    """Bootstrap the organization and onboard creator1 with the bench's features and event."""
    inventory = REPO / "inventories/local"
    if run("playbooks/bootstrap_organization.yml", inventory=inventory, env=env).returncode != 0:
        raise SystemExit("bootstrapping the organization failed")
    variables = {"creator_features": ["website", "auth", "shop", "events"], "creator_events": [bench_event(capacity)]}
    onboarded = run("playbooks/onboard.yml", "-l", CREATOR, "-e", json.dumps(variables), inventory=inventory, env=env)
    if onboarded.returncode != 0:
        raise SystemExit(f"onboarding {CREATOR} failed: {onboarded.failure_messages(CREATOR)}")


def creator_session(endpoint_url):
    """A boto3 session inside creator1's account (the role the modules assume)."""
    organizations = boto3.client("organizations", region_name="us-east-1", endpoint_url=endpoint_url, **MANAGEMENT)
    accounts = organizations.get_paginator("list_accounts").paginate().build_full_result()["Accounts"]
    account_id = next(account["Id"] for account in accounts if account["Name"] == "Creator One")
    sts = boto3.client("sts", region_name=REGION, endpoint_url=endpoint_url, **MANAGEMENT)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account_id}:role/OrganizationAccountAccessRole", RoleSessionName="bench-tickets"
    )["Credentials"]
    return boto3.session.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=REGION,
    )


def allow_password_sign_in(cognito, pool_id, client_id):
    """Let the bench sign fans in with AdminInitiateAuth through the website's client (the site itself uses SRP).

    The tokens must come from the website's client: the API's JWT authorizer accepts that audience only.
    This changes the bench's throw-away emulator only, after the onboarding.
    """
    client = cognito.describe_user_pool_client(UserPoolId=pool_id, ClientId=client_id)["UserPoolClient"]
    settings = {key: client[key] for key in ("ClientName", "CallbackURLs", "LogoutURLs") if key in client}
    flows = sorted({*client.get("ExplicitAuthFlows", []), "ALLOW_ADMIN_USER_PASSWORD_AUTH"})
    cognito.update_user_pool_client(UserPoolId=pool_id, ClientId=client_id, ExplicitAuthFlows=flows, **settings)


def signed_in_fans(session, endpoint_url, count):
    """ID tokens of `count` confirmed fans of creator1's pool, signed in through the website's client."""
    cognito = session.client("cognito-idp", endpoint_url=endpoint_url)
    pool = next(p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"].startswith("creatorcloud-"))
    client_id = cognito.list_user_pool_clients(UserPoolId=pool["Id"], MaxResults=60)["UserPoolClients"][0]["ClientId"]
    allow_password_sign_in(cognito, pool["Id"], client_id)
    tokens = []
    for number in range(count):
        email = f"bench-fan-{number}@example.org"
        cognito.admin_create_user(
            UserPoolId=pool["Id"],
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(UserPoolId=pool["Id"], Username=email, Password=FAN_PASSWORD, Permanent=True)
        answer = cognito.admin_initiate_auth(
            UserPoolId=pool["Id"],
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": FAN_PASSWORD},
        )
        tokens.append(answer["AuthenticationResult"]["IdToken"])
    return tokens


def checkout(site_url, token):
    """One checkout of one ticket: (HTTP status, API code or None, seconds)."""
    request = urllib.request.Request(
        f"{site_url}api/events/{EVENT_ID}/checkout",
        data=json.dumps({"quantity": 1}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, None, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        code = json.loads(error.read() or b"{}").get("code")
        return error.code, code, time.perf_counter() - started


def sell_out(site_url, tokens, clients):
    """Every client checks out one ticket at a time until sold out; the outcomes and the wall seconds."""
    outcomes, lock = [], threading.Lock()
    start = threading.Barrier(clients)

    def client(token):
        """One fan buying until the API says sold_out (any other refusal ends the client too)."""
        start.wait()
        while True:
            status, code, seconds = checkout(site_url, token)
            with lock:
                outcomes.append((status, code, seconds))
            if status != 200:
                return

    threads = [threading.Thread(target=client, args=(tokens[i % len(tokens)],)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, time.perf_counter() - began


def percentile(values, fraction):
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] if ordered else None


def counters(session, endpoint_url):
    """The bench event's counters in creator1's Events table."""
    dynamodb = session.client("dynamodb", endpoint_url=endpoint_url)
    item = dynamodb.get_item(
        TableName=f"creatorcloud-{CREATOR}-events", Key={"eventId": {"S": EVENT_ID}}, ConsistentRead=True
    )["Item"]
    return {name: int(item[name]["N"]) for name in ("capacity", "ticketsAvailable", "ticketsHeld", "ticketsSold")}


def measure(args):
    """Onboard, start the stand-in and the gateway, sell out, and return the figures."""
    state = Path(tempfile.mkdtemp(prefix="creatorcloud-bench-tickets-"))
    with fresh_emulator() as (emulator, env):
        onboard(env, args.capacity)
        stripe = stripe_launcher.start(stripe_launcher.free_port(), log_path=state / "stripe.log")
        gateway = gateway_launcher.start(
            CREATOR,
            gateway_launcher.free_port(),
            endpoint_url=emulator.endpoint_url,
            log_path=state / "gateway.log",
            stripe_url=stripe.url,
        )
        try:
            session = creator_session(emulator.endpoint_url)
            tokens = signed_in_fans(session, emulator.endpoint_url, args.fans)
            outcomes, seconds = sell_out(gateway.url, tokens, args.clients)
            after = counters(session, emulator.endpoint_url)
        finally:
            gateway_launcher.stop(gateway.pid)
            stripe.stop()
    held = [latency for status, _code, latency in outcomes if status == 200]
    refused = [latency for status, code, latency in outcomes if code == "sold_out"]
    other = sorted({f"{status} {code}" for status, code, _latency in outcomes if status != 200 and code != "sold_out"})
    return {
        "capacity": args.capacity,
        "clients": args.clients,
        "fans": args.fans,
        "tickets_held": len(held),
        "sold_out_answers": len(refused),
        "other_answers": other,
        "seconds": round(seconds, 2),
        "checkouts_per_second": round(len(held) / seconds, 1) if seconds else None,
        "hold_latency_ms": {
            "p50": round(statistics.median(held) * 1000, 1) if held else None,
            "p99": round(percentile(held, 0.99) * 1000, 1) if held else None,
        },
        "sold_out_latency_ms": {
            "p50": round(statistics.median(refused) * 1000, 1) if refused else None,
            "p99": round(percentile(refused, 0.99) * 1000, 1) if refused else None,
        },
        "counters_after": after,
        "oversold": after["ticketsHeld"] + after["ticketsSold"] > after["capacity"] or len(held) > args.capacity,
    }


def table(result):
    """The figures as a small text table."""
    rows = [
        ("tickets held / capacity", f"{result['tickets_held']} / {result['capacity']}"),
        ("concurrent clients", str(result["clients"])),
        ("checkouts per second", str(result["checkouts_per_second"])),
        ("hold latency p50 / p99 (ms)", f"{result['hold_latency_ms']['p50']} / {result['hold_latency_ms']['p99']}"),
        (
            "sold-out latency p50 / p99 (ms)",
            f"{result['sold_out_latency_ms']['p50']} / {result['sold_out_latency_ms']['p99']}",
        ),
        (
            "counters after (available, held, sold)",
            "{ticketsAvailable}, {ticketsHeld}, {ticketsSold}".format(**result["counters_after"]),
        ),
        ("oversold", str(result["oversold"])),
    ]
    width = max(len(label) for label, _value in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--capacity", type=int, default=200, help="tickets of the bench event")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--fans", type=int, default=20, help="signed-in fans the clients take turns with")
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args(argv)
    result = measure(args)
    print(json.dumps(result, indent=2))
    print()
    print(table(result))
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2) + "\n")
    return 1 if result["oversold"] else 0


if __name__ == "__main__":
    sys.exit(main())
