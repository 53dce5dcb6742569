# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The metric Orders of the monitoring dashboard: one point per paid order, as an EMF line in the function's log."""

import json

import pytest

from tests.backend.conftest import session_id_of

NAMESPACE = "CreatorCloud/creator1"


def order_points(output):
    """The Orders values of every EMF line in the output, with their namespaces."""
    points = []
    for line in output.splitlines():
        if not line.startswith('{"_aws"'):
            continue
        record = json.loads(line)
        [directive] = record["_aws"]["CloudWatchMetrics"]
        if any(metric["Name"] == "Orders" for metric in directive["Metrics"]):
            points.append((directive["Namespace"], record["Orders"]))
    return points


@pytest.fixture
def paid_checkout(sign_up, call_shop, stripe_account):
    """pay() -> the checkout.session.completed event of a fan's order of one poster."""
    admin, ada = sign_up("admin@example.com", ("admin",)), sign_up("ada@example.com")
    product = call_shop("POST", "/api/admin/shop/products", admin, body={"name": "Poster", "price": 1500, "stock": 3})
    body = {"items": [{"product_id": product.body["product_id"], "quantity": 2}]}

    def pay():
        checkout = call_shop("POST", "/api/shop/checkout", ada, body=body)
        stripe_account.pay(session_id_of(checkout.body["checkout_url"]))
        return stripe_account.event("checkout.session.completed")

    return pay


def test_a_paid_order_is_one_point_and_a_replay_adds_none(paid_checkout, deliver, monkeypatch, capsys):
    # GIVEN the function's namespace, as the api role sets it
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", NAMESPACE)
    event = paid_checkout()
    capsys.readouterr()
    # WHEN Stripe delivers the payment twice
    assert deliver(event).body["changed"] is True
    assert deliver(event).status == 200
    # THEN one order (not two items, not two deliveries) is counted
    assert order_points(capsys.readouterr().out) == [(NAMESPACE, [1.0])]


def test_without_a_namespace_nothing_is_recorded(paid_checkout, deliver, monkeypatch, capsys):
    monkeypatch.delenv("POWERTOOLS_METRICS_NAMESPACE", raising=False)
    event = paid_checkout()
    capsys.readouterr()
    assert deliver(event).body["changed"] is True
    assert order_points(capsys.readouterr().out) == []
