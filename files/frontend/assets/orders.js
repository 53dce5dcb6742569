/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The signed-in fan's orders (GET /api/shop/orders, newest first): date, lines, total, status and any
   refund. Stripe sends the fan here after paying, with ?order=<id>&checkout=success: the cart is emptied,
   the order is highlighted and named in the status line, and since Stripe's webhook may arrive a moment
   after the fan, the page asks again every 2 s (for up to 30 s) while the order is still pending.
   Product names go onto the page with textContent. The texts are the hidden list [data-shop-texts].
   A classic script after cognito.js, api.js, page.js and money.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var CART_KEY = "creatorcloud-cart"; // shop.js keeps the cart there
  var STATUSES = ["pending", "paid", "shipped", "completed", "cancelled"];

  function emptyCart() {
    try {
      root.localStorage.removeItem(CART_KEY);
    } catch (error) {
      /* storage disabled: there is no cart to empty */
    }
  }

  function OrdersPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-shop-texts]", "[data-status]");
    this.section = element.querySelector("[data-orders]");
    this.list = element.querySelector("[data-order-list]");
    this.state = element.querySelector("[data-orders-state]");
    this.signedOut = element.querySelector("[data-signed-out]");
    var order = this.helpers.query("order");
    this.highlight = order && /^[a-f0-9]{32}$/.test(order) ? order : null;
    this.returned = this.helpers.query("checkout") === "success";
  }

  OrdersPage.prototype.showSignedOut = function (code) {
    this.helpers.showSignedOut(this, this.section, code);
  };

  OrdersPage.prototype.orderItem = function (order) {
    var helpers = this.helpers;
    var page = this;
    var item = helpers.element("li", "order-card");
    item.setAttribute("data-order-id", order.order_id);
    var status = STATUSES.indexOf(order.status) !== -1 ? order.status : "pending";
    var header = helpers.element("div", "order-header");
    var reference = helpers.reference(order.order_id);
    header.appendChild(helpers.element("h3", "order-title", page.text("order", { reference: reference })));
    var badge = helpers.element("p", "badge order-status order-status-" + status, page.text("status_" + status));
    badge.setAttribute("data-order-status", status);
    header.appendChild(badge);
    item.appendChild(header);
    var when = helpers.date(order.created_at);
    if (when) {
      var time = helpers.element("p", "order-date");
      var stamp = helpers.element("time", null, page.text("ordered_on", { date: when }));
      stamp.setAttribute("datetime", order.created_at);
      time.appendChild(stamp);
      item.appendChild(time);
    }
    var lines = helpers.element("ul", "order-lines");
    (order.items || []).forEach(function (line) {
      var entry = helpers.element("li", "order-line");
      var amount = page.money.format(line.unit_amount * line.quantity, order.currency);
      var text = page.text("line", { quantity: line.quantity, name: line.name });
      entry.appendChild(helpers.element("span", "order-line-name", text));
      entry.appendChild(helpers.element("span", "order-line-amount", amount));
      lines.appendChild(entry);
    });
    item.appendChild(lines);
    var total = page.money.format(order.total_amount, order.currency);
    item.appendChild(helpers.element("p", "order-total", page.text("total", { amount: total })));
    if (order.refunded_amount > 0) {
      var refunded = page.money.format(order.refunded_amount, order.currency);
      item.appendChild(helpers.element("p", "order-refund", page.text("refunded", { amount: refunded })));
    }
    if (order.shipping) {
      item.appendChild(helpers.shippingAddress(order.shipping, page.text("ships_to")));
    }
    if (order.order_id === page.highlight) {
      item.classList.add("order-highlight");
      item.setAttribute("aria-current", "true");
      item.insertBefore(helpers.element("p", "order-just-placed", page.text("just_placed")), header.nextSibling);
    }
    return item;
  };

  OrdersPage.prototype.render = function (orders) {
    this.helpers.showList(this.list, this.state, orders, this.orderItem.bind(this), this.text("no_orders"));
    this.section.hidden = false;
  };

  OrdersPage.prototype.load = function () {
    var page = this;
    return page.api.request("GET", "shop/orders").then(function (answer) {
      var orders = (answer && answer.orders) || [];
      page.render(orders);
      return orders;
    });
  };

  /* The order the fan just paid: say how it stands, and ask again while the webhook has not arrived yet. */
  OrdersPage.prototype.follow = function (orders, startedAt) {
    var page = this;
    var values = { reference: page.helpers.reference(page.highlight) };
    function paid(answer) {
      var order = answer.filter(function (candidate) {
        return candidate.order_id === page.highlight;
      })[0];
      return order && order.status !== "pending" ? order : null;
    }
    if (!paid(orders)) {
      page.showStatus("success_pending", values);
    }
    return page.helpers
      .poll(orders, page.load.bind(page), paid, startedAt)
      .then(function (result) {
        if (!result.settled) {
          page.showStatus("success_slow", values);
          return;
        }
        page.showStatus(paid(result.answer).status === "cancelled" ? "success_cancelled" : "success_paid", values);
      })
      .catch(function (error) {
        page.showStatus("success_slow", values); // stop asking; a reload shows the state
        page.fail(error);
      });
  };

  OrdersPage.prototype.fail = function (error) {
    this.helpers.showListError(this, error, "orders_failed");
  };

  OrdersPage.prototype.start = function () {
    var page = this;
    if (page.returned) {
      emptyCart(); // paid: what was in the cart is this order now
    }
    if (!page.cognito.signedIn()) {
      page.showSignedOut();
      return;
    }
    var startedAt = Date.now();
    page
      .load()
      .then(function (orders) {
        if (page.highlight) {
          var item = page.list.querySelector(".order-highlight");
          if (item && item.scrollIntoView) {
            item.scrollIntoView({ block: "nearest" });
          }
          if (page.returned) {
            page.follow(orders, startedAt);
          }
        }
      })
      .catch(function (error) {
        page.fail(error);
      });
  };

  root.creatorcloud.page.start('[data-private="orders"]', OrdersPage, true);
})(window);
