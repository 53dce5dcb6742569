# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The creator's shop: products, stock reservations, orders and their fulfilment.

Stock: a checkout is ONE TransactWriteItems: per product a conditional UpdateItem
(`stock >= :q`, not archived) and the order's PutItem. Of concurrent buyers of the last items,
exactly as many transactions succeed as there are items; the others are cancelled (409
out_of_stock) and nothing is written for them. Stock never goes negative.

A reservation is released exactly once: the order's status moves pending -> cancelled and the
stock is added back in one transaction conditioned on `status = pending AND reservation = held`.
A failed payment first expires the Checkout Session, so a released order can never be paid.

Orders move pending -> paid (the webhook) -> shipped -> completed (admins); every transition is a
conditional write on the status it comes from, so a replayed or late event changes nothing.
Prices always come from the Products table, never from the client.
"""

import uuid

from creatorcloud_backend import aws_clients
from creatorcloud_backend import privacy
from creatorcloud_backend.domain import payments
from creatorcloud_backend.domain.profile import now
from creatorcloud_backend.errors import Conflict
from creatorcloud_backend.errors import NotFound
from creatorcloud_backend.settings import current_settings

PENDING, PAID, SHIPPED, COMPLETED, CANCELLED = "pending", "paid", "shipped", "completed", "cancelled"
# The admin's fulfilment steps: the status an order must have for each target status.
FULFILMENT = {SHIPPED: PAID, COMPLETED: SHIPPED}
HELD, RELEASED = "held", "released"
ORDER_KIND = "order"
# The index of ShopOrders by fan (partition userId, sort createdAt): the fan's order list.
ORDERS_BY_USER_INDEX = "userId-index"
# An address as Stripe gives it, and what of an order identifies the fan beyond its user id (gone on erasure).
ADDRESS_FIELDS = ("line1", "line2", "postal_code", "city", "state", "country")
PERSONAL_ORDER_FIELDS = ("email", "shipping")
ERASED_PREFIX = "erased-"


def products_table():
    """The Products table (partition key productId)."""
    settings = current_settings()
    return aws_clients.table(settings.products_table, settings.region)


def orders_table():
    """The ShopOrders table (partition key orderId, sort key userId)."""
    settings = current_settings()
    return aws_clients.table(settings.orders_table, settings.region)


def scan_all(table, **request):
    """Every item of a Scan (all pages)."""
    return every_page(table.scan, request)


def every_page(read, request):
    """Every item of a Scan or Query (`read`), following LastEvaluatedKey to the last page."""
    items = []
    while True:
        response = read(**request)
        items.extend(response["Items"])
        if "LastEvaluatedKey" not in response:
            return items
        request = {**request, "ExclusiveStartKey": response["LastEvaluatedKey"]}


def public_product(row):
    """The API's view of a Products row."""
    return {
        "product_id": row["productId"],
        "name": row["name"],
        "description": row.get("description", ""),
        "price": int(row["price"]),
        "currency": row.get("currency", current_settings().currency),
        "images": list(row.get("images", [])),
        "stock": int(row["stock"]),
        "archived": bool(row.get("archived")),
    }


def list_products(include_archived=False):
    """The shop's products by name, and the shop's currency (a new product's); archived ones only for admins who ask."""
    request = {} if include_archived else {"FilterExpression": "attribute_not_exists(archived) OR archived = :no"}
    if not include_archived:
        request["ExpressionAttributeValues"] = {":no": False}
    rows = scan_all(products_table(), **request)
    products = sorted((public_product(row) for row in rows), key=lambda item: item["name"])
    return {"products": products, "currency": current_settings().currency}


def create_product(fields):
    """Add a product ({name, description, price, images, stock}); its id is made here."""
    row = {
        "productId": uuid.uuid4().hex,
        "currency": current_settings().currency,
        "archived": False,
        "createdAt": now(),
        **fields,
    }
    products_table().put_item(Item=row)
    return public_product(row)


def update_product(product_id, fields):
    """Change the given fields of an existing product; NotFound otherwise."""
    fields = {**fields, "updatedAt": now()}
    names = {f"#{field}": field for field in fields}
    values = {f":{field}": value for field, value in fields.items()}
    assignments = [f"#{field} = :{field}" for field in fields]
    table = products_table()
    try:
        row = table.update_item(
            Key={"productId": product_id},
            UpdateExpression="SET " + ", ".join(assignments),
            ConditionExpression="attribute_exists(productId)",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
            ReturnValues="ALL_NEW",
        )["Attributes"]
    except table.meta.client.exceptions.ConditionalCheckFailedException as error:
        raise NotFound("No such product.", code="product_not_found") from error
    return public_product(row)


def archive_product(product_id):
    """Archive a product: it leaves the shop, its orders keep pointing at it (sold products are never dropped)."""
    return update_product(product_id, {"archived": True})


def read_products(product_ids):
    """The Products rows of the ids (strongly consistent), by id."""
    response = aws_clients.dynamodb().batch_get_item(
        RequestItems={
            current_settings().products_table: {
                "Keys": [{"productId": {"S": product_id}} for product_id in product_ids],
                "ConsistentRead": True,
            }
        }
    )
    rows = response["Responses"].get(current_settings().products_table, [])
    return {row["productId"]["S"]: row for row in rows}


def order_lines(quantities):
    """The order's lines [{productId, name, unitAmount, quantity}] priced from the table; NotFound/Conflict."""
    rows = read_products(sorted(quantities))
    lines = []
    for product_id, quantity in sorted(quantities.items()):
        row = rows.get(product_id)
        if row is None:
            raise NotFound(f"No product {product_id}.", code="product_not_found")
        if row.get("archived", {}).get("BOOL"):
            raise Conflict(f"{row['name']['S']} is no longer sold.", code="product_unavailable")
        lines.append(
            {
                "productId": product_id,
                "name": row["name"]["S"],
                "unitAmount": int(row["price"]["N"]),
                "quantity": quantity,
            }
        )
    return lines


def typed_item(row):
    """A row as the low-level client's typed item (transactions take no Table resource)."""
    from boto3.dynamodb.types import TypeSerializer  # pylint: disable=import-outside-toplevel

    serializer = TypeSerializer()
    return {key: serializer.serialize(value) for key, value in row.items()}


def reservation_transaction(order, quantities):
    """The TransactItems of a checkout: take each product's stock if enough is left, and put the order."""
    settings = current_settings()
    items = [
        {
            "Update": {
                "TableName": settings.products_table,
                "Key": {"productId": {"S": product_id}},
                "UpdateExpression": "SET stock = stock - :q",
                "ConditionExpression": "stock >= :q AND (attribute_not_exists(archived) OR archived = :no)",
                "ExpressionAttributeValues": {":q": {"N": str(quantity)}, ":no": {"BOOL": False}},
            }
        }
        for product_id, quantity in sorted(quantities.items())
    ]
    items.append(
        {
            "Put": {
                "TableName": settings.orders_table,
                "Item": typed_item(order),
                "ConditionExpression": "attribute_not_exists(orderId)",
            }
        }
    )
    return items


def reserve(order, quantities):
    """Reserve the stock and write the order in one transaction; Conflict out_of_stock if any product is short."""
    client = aws_clients.dynamodb()
    try:
        client.transact_write_items(TransactItems=reservation_transaction(order, quantities))
    except client.exceptions.TransactionCanceledException as error:
        raise Conflict("Not enough left in stock.", code="out_of_stock") from error


def checkout(caller, quantities, language=None):
    """Reserve the cart ({product_id: quantity}) and open a Checkout Session: {"order_id", "checkout_url"}.

    Stripe sends the fan back to the orders page (paid) or the shop (cancelled) in `language`.
    """
    settings = current_settings()
    lines = order_lines(quantities)
    order = {
        "orderId": uuid.uuid4().hex,
        "userId": caller.user_id,
        "email": caller.email,
        "kind": ORDER_KIND,
        "items": lines,
        "totalAmount": sum(line["unitAmount"] * line["quantity"] for line in lines),
        "currency": settings.currency,
        "status": PENDING,
        "reservation": HELD,
        "createdAt": now(),
    }
    reserve(order, quantities)
    metadata = {"order_id": order["orderId"], "user_id": caller.user_id, "kind": ORDER_KIND}
    try:
        session = payments.create_checkout_session(
            mode="payment",
            line_items=[
                {
                    "quantity": line["quantity"],
                    "price_data": {
                        "currency": settings.currency,
                        "unit_amount": line["unitAmount"],
                        "product_data": {"name": line["name"]},
                    },
                }
                for line in lines
            ],
            client_reference_id=order["orderId"],
            customer_email=caller.email or None,
            metadata=metadata,
            # The PaymentIntent (and so payment_intent.payment_failed and the charge) carries the order too.
            payment_intent_data={"metadata": metadata},
            **shipping_collection(settings.shipping_countries),
            success_url=payments.page_url("orders", language, order=order["orderId"], checkout="success"),
            cancel_url=payments.page_url("shop", language, checkout="cancelled"),
        )
    except payments.PaymentError:
        release(order["orderId"], caller.user_id)
        raise
    orders_table().update_item(
        Key={"orderId": order["orderId"], "userId": caller.user_id},
        UpdateExpression="SET stripeSessionId = :session",
        ExpressionAttributeValues={":session": session["id"]},
    )
    return {"order_id": order["orderId"], "checkout_url": session["url"]}


def shipping_collection(countries):
    """Checkout's parameter that asks the fan for a shipping address in one of `countries` (none: nothing shipped)."""
    return {"shipping_address_collection": {"allowed_countries": list(countries)}} if countries else {}


def shipping_of(session):
    """The address the fan gave in Checkout, {name, address: {line1, line2, postal_code, city, state, country}} or None.

    Stripe has it at collected_information.shipping_details since API version 2025-03-31.
    """
    details = (session.get("collected_information") or {}).get("shipping_details")
    if not details:
        return None
    address = details.get("address") or {}
    return {
        "name": details.get("name") or "",
        "address": {key: address.get(key) or "" for key in ADDRESS_FIELDS},
    }


def release(order_id, user_id):
    """Give a pending order's stock back and cancel it, exactly once; True if this call released it."""
    row = orders_table().get_item(Key={"orderId": order_id, "userId": user_id}, ConsistentRead=True).get("Item")
    if row is None or row["status"] != PENDING or row.get("reservation") != HELD:
        return False
    settings = current_settings()
    items = [
        {
            "Update": {
                "TableName": settings.orders_table,
                "Key": {"orderId": {"S": order_id}, "userId": {"S": user_id}},
                "UpdateExpression": "SET #status = :cancelled, reservation = :released, updatedAt = :now",
                "ConditionExpression": "#status = :pending AND reservation = :held",
                "ExpressionAttributeNames": {"#status": "status"},
                "ExpressionAttributeValues": {
                    ":cancelled": {"S": CANCELLED},
                    ":released": {"S": RELEASED},
                    ":pending": {"S": PENDING},
                    ":held": {"S": HELD},
                    ":now": {"S": now()},
                },
            }
        }
    ] + [
        {
            "Update": {
                "TableName": settings.products_table,
                "Key": {"productId": {"S": line["productId"]}},
                "UpdateExpression": "ADD stock :q",
                "ExpressionAttributeValues": {":q": {"N": str(int(line["quantity"]))}},
            }
        }
        for line in row["items"]
    ]
    client = aws_clients.dynamodb()
    try:
        client.transact_write_items(TransactItems=items)
    except client.exceptions.TransactionCanceledException:
        # Paid or released meanwhile (a concurrent delivery): nothing left to give back.
        return False
    return True


def transition(order_id, user_id, to_status, from_status, **attributes):
    """Move an order from from_status to to_status (and set attributes); False if it was not in from_status."""
    names = {"#status": "status", **{f"#{name}": name for name in attributes}}
    values = {":to": to_status, ":from": from_status, ":now": now()}
    values.update({f":{name}": value for name, value in attributes.items()})
    assignments = ", ".join(["#status = :to", "updatedAt = :now"] + [f"#{name} = :{name}" for name in attributes])
    table = orders_table()
    try:
        table.update_item(
            Key={"orderId": order_id, "userId": user_id},
            UpdateExpression="SET " + assignments,
            ConditionExpression="#status = :from",
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def mark_paid(order_id, user_id, payment_intent_id, shipping=None):
    """The webhook's checkout.session.completed (paid): pending -> paid, with the address to ship to when one was
    asked for; a later or repeated event changes nothing."""
    attributes = {"stripePaymentId": payment_intent_id or "", "paidAt": now()}
    if shipping:
        attributes["shipping"] = shipping
    return transition(order_id, user_id, PAID, PENDING, **attributes)


def cancel_unpaid(order_id, user_id):
    """A failed payment: expire the order's Checkout Session so it can no longer be paid, then release the stock."""
    row = orders_table().get_item(Key={"orderId": order_id, "userId": user_id}, ConsistentRead=True).get("Item")
    if row is None or row["status"] != PENDING:
        return False
    session_id = row.get("stripeSessionId")
    # A completed session means the fan paid after all (a retried card): checkout.session.completed does the rest.
    if session_id and not payments.close_unpaid_session(session_id):
        return False
    return release(order_id, user_id)


def mark_refunded(order_id, user_id, refunded_amount):
    """charge.refunded: record the refund on the order whatever its status (it may arrive before "paid")."""
    table = orders_table()
    try:
        table.update_item(
            Key={"orderId": order_id, "userId": user_id},
            UpdateExpression="SET refundedAmount = :amount, refundedAt = :now",
            ConditionExpression="attribute_exists(orderId)",
            ExpressionAttributeValues={":amount": refunded_amount, ":now": now()},
        )
    except table.meta.client.exceptions.ConditionalCheckFailedException:
        return False
    return True


def public_order(row, admin=False):
    """The API's view of a ShopOrders row; admins also see the buyer's e-mail address, to reach them about it."""
    contact = {"email": row.get("email")} if admin else {}
    return {
        **contact,
        "order_id": row["orderId"],
        "user_id": row["userId"],
        "items": [
            {
                "product_id": line["productId"],
                "name": line["name"],
                "unit_amount": int(line["unitAmount"]),
                "quantity": int(line["quantity"]),
            }
            for line in row["items"]
        ],
        "total_amount": int(row["totalAmount"]),
        "currency": row["currency"],
        "status": row["status"],
        "created_at": row["createdAt"],
        "paid_at": row.get("paidAt"),
        "refunded_amount": int(row.get("refundedAmount", 0)),
        "shipping": row.get("shipping"),
    }


def rows_of_user(table, user_id):
    """Every row of `table` whose userId is the fan's, read consistently (a Scan): export and erasure must not miss
    a row of the last second, which an index might not have yet."""
    return scan_all(
        table, FilterExpression="userId = :me", ExpressionAttributeValues={":me": user_id}, ConsistentRead=True
    )


def user_orders(user_id):
    """Every ShopOrders row of the fan."""
    return rows_of_user(orders_table(), user_id)


def listed_orders(user_id):
    """The fan's orders from the index userId-index, newest first: one Query page per 1 MB, not a Scan of the shop.

    The index is eventually consistent: a checkout or payment of the last second may show a moment later,
    which the site's orders page polls for.
    """
    request = {
        "IndexName": ORDERS_BY_USER_INDEX,
        "KeyConditionExpression": "userId = :me",
        "ExpressionAttributeValues": {":me": user_id},
        "ScanIndexForward": False,
    }
    return every_page(orders_table().query, request)


def newest_first(rows, admin=False):
    """Orders as the API lists them, newest first."""
    ordered = sorted(rows, key=lambda row: row["createdAt"], reverse=True)
    return {"orders": [public_order(row, admin) for row in ordered]}


def own_orders(caller):
    """The caller's orders, newest first."""
    return newest_first(listed_orders(caller.user_id))


def all_orders(status=None):
    """Every order, newest first, optionally of one status (admins)."""
    request = {}
    if status:
        request = {
            "FilterExpression": "#status = :status",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":status": status},
        }
    return newest_first(scan_all(orders_table(), **request), admin=True)


def fulfil(order_id, to_status):
    """An admin's fulfilment step (paid -> shipped -> completed only); NotFound or Conflict invalid_transition."""
    rows = orders_table().query(
        KeyConditionExpression="orderId = :id", ExpressionAttributeValues={":id": order_id}, ConsistentRead=True
    )["Items"]
    if not rows:
        raise NotFound("No such order.", code="order_not_found")
    row = rows[0]
    if not transition(order_id, row["userId"], to_status, FULFILMENT[to_status]):
        raise Conflict(f"An order that is {row['status']} cannot become {to_status}.", code="invalid_status_transition")
    return public_order({**row, "status": to_status}, admin=True)


def export_orders(user_id):
    """The fan's orders as stored, oldest first ({} for a function without the orders table)."""
    if not current_settings().orders_table:
        return {}
    return {"orders": sorted(user_orders(user_id), key=lambda row: row["createdAt"])}


def erase_orders(user_id):
    """Pseudonymise the fan's orders: tax law keeps them, so a random pseudonym replaces userId; e-mail and address go.

    userId is the table's sort key, so each order is re-written under the pseudonym (put, then delete the
    original, in one transaction); no mapping back to the fan is kept anywhere. Idempotent.
    """
    if not current_settings().orders_table:
        return
    table = current_settings().orders_table
    for row in user_orders(user_id):
        pseudonymised = {key: value for key, value in row.items() if key not in PERSONAL_ORDER_FIELDS}
        pseudonymised.update(userId=ERASED_PREFIX + uuid.uuid4().hex, erasedAt=now())
        aws_clients.dynamodb().transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": typed_item(pseudonymised)}},
                {"Delete": {"TableName": table, "Key": {"orderId": {"S": row["orderId"]}, "userId": {"S": user_id}}}},
            ]
        )


privacy.register("shop", export_orders, erase_orders)
