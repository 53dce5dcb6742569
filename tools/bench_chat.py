# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make bench`: chat fan-out of the emulator's IVS Chat messaging endpoint.

Starts a fresh emulator on a free port, makes a room in a creator account, connects
--clients WebSocket clients to it with tokens from CreateChatToken, and has one of them send
--messages messages (at most --window unanswered at a time). Measures deliveries per second
(MESSAGE frames received by all clients / elapsed) and the p50/p99 delivery latency, once
without and once with a message review handler (tests/emulator/fixtures/chat_review_fixture.py,
run in-process by the emulator). Prints a table and JSON.

IVS Chat caps a room at 100 messages per second (maximumMessageRatePerSecond), so 50 clients can
never be offered more than 5,000 deliveries per second; a send refused with 429 is retried.
"""

import argparse
import asyncio
import io
import json
import os
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import boto3
from websockets.asyncio.client import connect

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

from creatorcloud_emulator import launcher  # noqa: E402

FIXTURES = REPO / "tests" / "emulator" / "fixtures"
REGION = "eu-central-1"
ACCOUNT = "210987654321"
MANAGEMENT_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REVIEW_FUNCTION = "creatorcloud-bench-chat-review"
RETRY_AFTER_SECONDS = 0.02


def creator_clients(endpoint_url):
    """IVS Chat, IAM and Lambda clients in the bench's creator account."""
    sts = boto3.client("sts", region_name=REGION, endpoint_url=endpoint_url, **MANAGEMENT_CREDENTIALS)
    credentials = sts.assume_role(
        RoleArn=f"arn:aws:iam::{ACCOUNT}:role/OrganizationAccountAccessRole", RoleSessionName="bench"
    )["Credentials"]
    keys = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }
    return {
        service: boto3.client(service, region_name=REGION, endpoint_url=endpoint_url, **keys)
        for service in ("ivschat", "iam", "lambda")
    }


def deploy_review_handler(clients):
    """The fixture review handler as a function of the creator account; its ARN."""
    lambda_service = {"Service": "lambda.amazonaws.com"}
    trust = {"Statement": [{"Effect": "Allow", "Principal": lambda_service, "Action": "sts:AssumeRole"}]}
    role = clients["iam"].create_role(RoleName=REVIEW_FUNCTION, AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("README", "run from the repository")
    return clients["lambda"].create_function(
        FunctionName=REVIEW_FUNCTION,
        Runtime="python3.12",
        Role=role["Arn"],
        Handler="chat_review_fixture.handler",
        Code={"ZipFile": package.getvalue()},
    )["FunctionArn"]


def make_room(clients, rate, review_handler_arn=None):
    """A room allowing `rate` messages per second, reviewed by `review_handler_arn` when given."""
    settings = {"maximumMessageRatePerSecond": rate}
    if review_handler_arn:
        settings["messageReviewHandler"] = {"uri": review_handler_arn, "fallbackResult": "DENY"}
    return clients["ivschat"].create_room(**settings)["arn"]


def tokens_for(clients, room_arn, count):
    return [
        clients["ivschat"].create_chat_token(roomIdentifier=room_arn, userId=f"fan-{n}", capabilities=["SEND_MESSAGE"])[
            "token"
        ]
        for n in range(count)
    ]


class FanOut:
    """One run: the sender's window of unanswered messages, and every client's deliveries."""

    def __init__(self, messages, window):
        self.messages = messages
        self.window = asyncio.Semaphore(window)
        self.latencies = []
        self.deliveries = 0
        self.refusals = 0
        self.pending = {}
        self.done = asyncio.Event()
        self.expected = 0

    async def receive(self, websocket, is_sender):
        """Count the MESSAGE frames a client gets (the sender also answers its window and retries)."""
        async for text in websocket:
            frame = json.loads(text)
            if frame["Type"] == "MESSAGE":
                self.latencies.append(time.perf_counter() - float(frame["Content"].split(":")[1]))
                self.deliveries += 1
                if is_sender:
                    self.window.release()
            elif frame["Type"] == "ERROR" and is_sender:
                self.refusals += 1
                await asyncio.sleep(RETRY_AFTER_SECONDS)
                await websocket.send(self.pending[frame["RequestId"]]())
            if self.deliveries >= self.expected:
                self.done.set()

    async def send_all(self, websocket):
        for number in range(self.messages):
            await self.window.acquire()

            def request(number=number):
                content = f"{number}:{time.perf_counter()}"
                return json.dumps({"Action": "SEND_MESSAGE", "RequestId": str(number), "Content": content})

            self.pending[str(number)] = request
            await websocket.send(request())


async def measure(chat_endpoint, tokens, messages, window):
    """Deliveries per second and latencies of `messages` sent by the first of `tokens`' clients."""
    run = FanOut(messages, window)
    run.expected = messages * len(tokens)
    sockets = [await connect(chat_endpoint, subprotocols=[token], max_queue=None) for token in tokens]
    receivers = [asyncio.create_task(run.receive(ws, is_sender=index == 0)) for index, ws in enumerate(sockets)]
    started = time.perf_counter()
    await run.send_all(sockets[0])
    await asyncio.wait_for(run.done.wait(), timeout=300)
    elapsed = time.perf_counter() - started
    for websocket in sockets:
        await websocket.close()
    await asyncio.gather(*receivers, return_exceptions=True)
    latencies = sorted(run.latencies)
    return {
        "clients": len(tokens),
        "messages": messages,
        "deliveries": run.deliveries,
        "seconds": round(elapsed, 3),
        "deliveries_per_second": round(run.deliveries / elapsed, 1),
        "messages_per_second": round(messages / elapsed, 1),
        "latency_p50_ms": round(statistics.median(latencies) * 1000, 2),
        "latency_p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2),
        "refused_429": run.refusals,
    }


def print_table(results):
    columns = ("review", "clients", "messages", "deliveries_per_second", "latency_p50_ms", "latency_p99_ms")
    columns += ("refused_429",)
    print(" | ".join(f"{column:>22}" for column in columns))
    for name, result in results.items():
        print(" | ".join(f"{value!s:>22}" for value in (name, *(result[column] for column in columns[1:]))))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--window", type=int, default=5, help="messages sent before their echo arrives")
    parser.add_argument("--rate", type=int, default=100, help="the room's maximumMessageRatePerSecond (1-100)")
    args = parser.parse_args(argv)

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FIXTURES), os.environ.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as state:
        emulator = launcher.start(launcher.free_port(), log_path=Path(state) / "emulator.log")
        try:
            clients = creator_clients(emulator.endpoint_url)
            chat_endpoint = emulator.chat_endpoint()
            review_arn = deploy_review_handler(clients)
            results = {}
            for name, handler in (("none", None), ("in-process handler", review_arn)):
                tokens = tokens_for(clients, make_room(clients, args.rate, handler), args.clients)
                results[name] = asyncio.run(measure(chat_endpoint, tokens, args.messages, args.window))
        finally:
            launcher.stop(emulator.pid)
    print_table(results)
    print(json.dumps({"chat_fan_out": results}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
