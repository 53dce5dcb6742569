# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrent buyers of the last tickets, and payments racing releases: never oversold, each hold settled once."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

BUYERS = 50
LAST_TICKETS = 10


def test_fifty_concurrent_buyers_for_the_last_ten_tickets(call_events, ticketing, sign_up, atomic_dynamodb):
    from creatorcloud_backend.domain import tickets  # pylint: disable=import-outside-toplevel

    early = sign_up("early@example.com")
    fans = [sign_up(f"fan{number}@example.com") for number in range(BUYERS)]
    event_id = ticketing.add_event("finale", LAST_TICKETS + 2, price=0)
    # GIVEN two of the twelve tickets are gone already
    assert call_events("POST", f"/api/events/{event_id}/checkout", early, body={"quantity": 2}).status == 200
    ticketing.dynamodb.update_item(
        TableName="Events",
        Key={"eventId": {"S": event_id}},
        UpdateExpression="SET price = :p",
        ExpressionAttributeValues={":p": {"N": "2500"}},
    )
    start = threading.Barrier(BUYERS)

    def buy(fan):
        """One fan's checkout of one ticket, started together with all the others."""
        start.wait()
        return call_events("POST", f"/api/events/{event_id}/checkout", fan, body={"quantity": 1})

    # WHEN 50 fans check out one ticket each at the same moment
    with ThreadPoolExecutor(max_workers=BUYERS) as pool:
        responses = list(pool.map(buy, fans))

    # THEN exactly 10 hold a ticket and 40 are told it is sold out; no counter went past the capacity
    assert Counter(response.status for response in responses) == {200: LAST_TICKETS, 409: BUYERS - LAST_TICKETS}
    assert {response.body["code"] for response in responses if response.status == 409} == {"sold_out"}
    assert ticketing.counters(event_id) == (0, LAST_TICKETS, 2)
    orders = [response.body["order_id"] for response in responses if response.status == 200]

    # WHEN each hold's payment races its release (a completion arriving as the session expires)
    race = threading.Barrier(2 * len(orders))

    def settle(action, order_id):
        """Pay or release one order, started together with every other settlement."""
        race.wait()
        return order_id, action(order_id)

    with ThreadPoolExecutor(max_workers=2 * len(orders)) as pool:
        actions = (lambda order_id: tickets.mark_paid(order_id, "pi_race"), tickets.release)
        futures = [pool.submit(settle, action, order_id) for order_id in orders for action in actions]
        outcomes = [future.result() for future in futures]

    # THEN each order was settled by exactly one of the two, and the counters add up to the capacity
    winners = Counter(order_id for order_id, settled in outcomes if settled)
    assert winners == dict.fromkeys(orders, 1)
    statuses = Counter(status for order_id, unused_ticket, status in ticketing.tickets() if order_id in orders)
    available, held, sold = ticketing.counters(event_id)
    assert held == 0
    assert (available, sold - 2) == (statuses["released"], statuses["paid"])
    assert available + sold == LAST_TICKETS + 2
