# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shop function: products (public list, admin management), checkout, the fan's orders, fulfilment.

Handlers only route, validate and authorize; the work is in creatorcloud_backend.domain.shop.
"""

from typing import Annotated
from typing import Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler import content_types
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel
from pydantic import ConfigDict
from pydantic import Field
from pydantic import HttpUrl

from creatorcloud_backend.auth import caller_from_event
from creatorcloud_backend.auth import require_admin
from creatorcloud_backend.domain import shop
from creatorcloud_backend.domain.payments import SITE_LANGUAGE
from creatorcloud_backend.errors import register_error_handlers

API_PREFIX = "/api"
# Our product and order ids are uuid4 hex.
ENTITY_ID = r"^[a-f0-9]{32}$"
MAX_PRICE = 1_000_000_00
MAX_STOCK = 1_000_000
OrderStatus = Literal["pending", "paid", "shipped", "completed", "cancelled"]

logger = Logger(service="shop")
router = APIGatewayHttpRouter()


class ProductUpdate(BaseModel):
    """PUT /api/admin/shop/products/{productId}: the fields to change (prices in cents)."""

    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    price: Annotated[int, Field(ge=1, le=MAX_PRICE)] | None = None
    images: Annotated[list[HttpUrl], Field(max_length=10)] | None = None
    stock: Annotated[int, Field(ge=0, le=MAX_STOCK)] | None = None

    def fields(self):
        """The fields given, as the table stores them."""
        given = self.model_dump(exclude_none=True)
        if "images" in given:
            given["images"] = [str(url) for url in given["images"]]
        return given


class NewProduct(ProductUpdate):
    """POST /api/admin/shop/products: a product needs a name, a price and its stock."""

    name: Annotated[str, Field(min_length=1, max_length=100)]
    price: Annotated[int, Field(ge=1, le=MAX_PRICE)]
    stock: Annotated[int, Field(ge=0, le=MAX_STOCK)]


class CartItem(BaseModel):
    """One line of a cart: a product and how many."""

    model_config = ConfigDict(extra="forbid")

    product_id: Annotated[str, Field(pattern=ENTITY_ID)]
    quantity: Annotated[int, Field(ge=1, le=100)]


class Cart(BaseModel):
    """POST /api/shop/checkout: the cart (prices come from the table, never from here)."""

    model_config = ConfigDict(extra="forbid")

    # A transaction holds at most 100 items: 20 lines and the order stay far below.
    items: Annotated[list[CartItem], Field(min_length=1, max_length=20)]
    # The language of the page the fan pays from ("en" for /en/shop.html); omitted on the first language's pages.
    language: Annotated[str, Field(pattern=SITE_LANGUAGE)] | None = None

    def quantities(self):
        """{product_id: quantity}, lines of the same product added up."""
        merged = {}
        for item in self.items:
            merged[item.product_id] = merged.get(item.product_id, 0) + item.quantity
        return merged


class StatusChange(BaseModel):
    """PUT /api/admin/shop/orders/{orderId}/status: the next fulfilment step."""

    model_config = ConfigDict(extra="forbid")

    status: Literal["shipped", "completed"]


def created(body):
    """A 201 JSON answer."""
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=body)


@router.get("/shop/products")
def list_products():
    """The products on sale (public)."""
    return shop.list_products()


@router.get("/admin/shop/products")
def list_all_products():
    """Every product, archived ones too (admins)."""
    require_admin(caller_from_event(router.current_event))
    return shop.list_products(include_archived=True)


@router.post("/admin/shop/products")
def create_product(product: NewProduct):
    """Add a product (admins)."""
    require_admin(caller_from_event(router.current_event))
    return created(shop.create_product(product.fields()))


# The API's route keys name the segments {productId} and {orderId}; Powertools matches the raw path.
@router.put("/admin/shop/products/<product_id>")
def update_product(product_id: Annotated[str, Path(pattern=ENTITY_ID)], change: ProductUpdate):
    """Change a product (admins)."""
    require_admin(caller_from_event(router.current_event))
    return shop.update_product(product_id, change.fields())


@router.delete("/admin/shop/products/<product_id>")
def archive_product(product_id: Annotated[str, Path(pattern=ENTITY_ID)]):
    """Archive a product: it leaves the shop, sold ones stay in their orders (admins)."""
    require_admin(caller_from_event(router.current_event))
    return shop.archive_product(product_id)


@router.post("/shop/checkout")
def checkout(cart: Cart):
    """Reserve the cart's stock and open a Stripe Checkout for it (a signed-in fan)."""
    caller = caller_from_event(router.current_event)
    result = shop.checkout(caller, cart.quantities(), cart.language)
    logger.info("checkout", extra={"order_id": result["order_id"]})
    return result


@router.get("/shop/orders")
def own_orders():
    """The caller's orders, newest first."""
    return shop.own_orders(caller_from_event(router.current_event))


@router.get("/admin/shop/orders")
def all_orders(status: Annotated[OrderStatus | None, Query()] = None):
    """Every order, optionally of one status (admins)."""
    require_admin(caller_from_event(router.current_event))
    return shop.all_orders(status)


@router.put("/admin/shop/orders/<order_id>/status")
def change_status(order_id: Annotated[str, Path(pattern=ENTITY_ID)], change: StatusChange):
    """Mark a paid order shipped or a shipped one completed (admins)."""
    caller = require_admin(caller_from_event(router.current_event))
    logger.info("fulfil", extra={"order_id": order_id, "status": change.status, "admin": caller.user_id})
    return shop.fulfil(order_id, change.status)


app = APIGatewayHttpResolver(enable_validation=True)
register_error_handlers(app, logger)
app.include_router(router, prefix=API_PREFIX)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def handler(event, context):
    """The Lambda entry point."""
    return app.resolve(event, context)
