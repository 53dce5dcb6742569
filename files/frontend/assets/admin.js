/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The admins' page, for the `admin` group of the ID token (cognito:groups; read, not verified: the API
   checks every call itself, so this only spares others a page of refusals). Its sections are there
   with their features:
   - products (shop): GET /api/admin/shop/products (archived ones too), create (POST), edit (PUT .../{id}),
     archive (DELETE .../{id}); prices are typed in currency units (12.50; as many decimals as the shop's
     currency has, which the list answers) and sent in cents;
   - orders (shop): GET /api/admin/shop/orders?status=, Mark shipped (paid → shipped) and Mark completed
     (shipped → completed) with PUT .../{id}/status; a refused step shows invalid_status_transition;
   - tips (donations): GET /api/admin/donations?status=paid|approved|hidden, Approve and Hide with
     PUT /api/admin/donations/{id} {"visible": bool}.
   Every text a fan or an admin wrote (product names, e-mail addresses, messages) goes onto the page with
   textContent. The texts are the hidden list [data-shop-texts]: this script holds no text of any language.
   A classic script after cognito.js, api.js, page.js and money.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var ADMIN_GROUP = "admin";
  var MAX_PRICE = 100000000; // the API's limits (files/backend/README.md, "Routes (function shop)")
  var MAX_STOCK = 1000000;
  var MAX_NAME = 100;
  var MAX_DESCRIPTION = 2000;
  var ORDER_STEPS = { paid: "shipped", shipped: "completed" };

  function AdminPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-shop-texts]", "[data-status]");
    this.stopped = false; // signed out or not an admin after all: no further calls
  }

  AdminPage.prototype.showSignedOut = function () {
    this.stopped = true;
    this.cognito.clearSession();
    this.element.querySelector("[data-admin]").hidden = true;
    this.element.querySelector("[data-signed-out]").hidden = false;
  };

  AdminPage.prototype.showNotAdmin = function () {
    this.stopped = true;
    this.element.querySelector("[data-admin]").hidden = true;
    this.element.querySelector("[data-not-admin]").hidden = false;
  };

  /* An error of a section's call: a session that ended, a group the API does not see, or the section's alert. */
  AdminPage.prototype.showError = function (section, error) {
    if (error.status === 401) {
      this.showSignedOut();
      this.showStatus("unauthorized");
      return;
    }
    if (error.code === "forbidden") {
      this.showNotAdmin();
      return;
    }
    this.showStatus(null);
    this.helpers.showAlert(section.querySelector("[data-form-error]"), this.text(error.code));
  };

  /* Run a call with the section's buttons disabled; its errors go to the section. */
  AdminPage.prototype.busy = function (section, call) {
    var page = this;
    page.helpers.clearAlert(section.querySelector("[data-form-error]"));
    page.showStatus("working");
    return page.helpers.whileDisabled(section.querySelectorAll("button, select"), call, function (error) {
      page.showError(section, error);
    });
  };

  /* A button whose visible text is the action and whose full name also says on what (for screen readers). */
  AdminPage.prototype.actionButton = function (code, subject, className, onClick) {
    var helpers = this.helpers;
    var button = helpers.element("button", "button " + className, this.text(code));
    button.type = "button";
    button.setAttribute("data-action", code);
    button.appendChild(helpers.element("span", "visually-hidden", " " + subject));
    button.addEventListener("click", onClick);
    return button;
  };

  /* A section's list: fetch, draw each item, or say that there is none. */
  AdminPage.prototype.loadList = function (section, path, key, draw, emptyCode) {
    var page = this;
    var list = section.querySelector("[data-list]");
    var state = section.querySelector("[data-list-state]");
    return page.api.request("GET", path).then(function (answer) {
      page.helpers.showList(list, state, (answer && answer[key]) || [], draw, page.text(emptyCode));
      page.showStatus(null);
      return answer;
    }, function (error) {
      state.textContent = ""; // not "loading" any more: the section's alert says what went wrong
      throw error;
    });
  };

  // --- products ------------------------------------------------------------------------------------------

  AdminPage.prototype.setUpProducts = function (section) {
    var page = this;
    var helpers = page.helpers;
    var form = section.querySelector("[data-product-form]");
    var title = form.querySelector("[data-form-title]");
    var submit = form.querySelector("[data-submit]");
    var cancel = form.querySelector("[data-cancel-edit]");
    var editing = null;
    var shopCurrency = null;
    var currency = null; // the shop's (GET answers it), or the edited product's: how many decimals a price has

    function setEditing(product) {
      editing = product ? product.product_id : null;
      currency = product ? product.currency : shopCurrency;
      helpers.clearErrors(form);
      form.reset();
      if (product) {
        form.elements.name.value = product.name;
        form.elements.description.value = product.description || "";
        form.elements.price.value = page.money.toUnits(product.price, product.currency);
        form.elements.stock.value = String(product.stock);
      }
      title.textContent = product ? title.getAttribute("data-edit") : title.getAttribute("data-new");
      submit.textContent = product ? submit.getAttribute("data-edit") : submit.getAttribute("data-new");
      cancel.hidden = !product;
    }

    function draw(product) {
      var item = helpers.element("li", "admin-item" + (product.archived ? " admin-item-archived" : ""));
      item.setAttribute("data-product-id", product.product_id);
      var header = helpers.element("div", "admin-item-header");
      header.appendChild(helpers.element("h3", "admin-item-title", product.name));
      if (product.archived) {
        header.appendChild(helpers.element("p", "badge badge-muted", page.text("archived")));
      }
      item.appendChild(header);
      var facts = helpers.element("p", "admin-item-facts");
      facts.appendChild(helpers.element("span", null, page.money.format(product.price, product.currency)));
      facts.appendChild(helpers.element("span", null, page.text("stock", { stock: product.stock })));
      item.appendChild(facts);
      if (product.description) {
        item.appendChild(helpers.element("p", "admin-item-text", product.description));
      }
      var actions = helpers.element("p", "admin-actions");
      actions.appendChild(
        page.actionButton("edit", product.name, "button-ghost", function () {
          setEditing(product);
          page.showStatus("editing", { product: product.name });
          form.elements.name.focus();
        })
      );
      if (!product.archived) {
        actions.appendChild(
          page.actionButton("archive", product.name, "button-danger", function () {
            page.busy(section, function () {
              var path = "admin/shop/products/" + encodeURIComponent(product.product_id);
              return page.api.request("DELETE", path).then(function () {
                if (editing === product.product_id) {
                  setEditing(null);
                }
                return load().then(function () {
                  page.showStatus("product_archived", { product: product.name });
                });
              });
            });
          })
        );
      }
      item.appendChild(actions);
      return item;
    }

    function load() {
      var listed = page.loadList(section, "admin/shop/products", "products", draw, "no_admin_products");
      return listed.then(function (answer) {
        shopCurrency = (answer && answer.currency) || shopCurrency;
        currency = editing ? currency : shopCurrency;
      });
    }

    cancel.addEventListener("click", function () {
      setEditing(null);
      page.showStatus(null);
      form.elements.name.focus();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      helpers.clearErrors(form);
      var name = form.elements.name.value.trim();
      var description = form.elements.description.value.trim();
      var price = page.money.toCents(form.elements.price.value, currency);
      var stockText = form.elements.stock.value.trim();
      var stock = /^\d+$/.test(stockText) ? parseInt(stockText, 10) : null;
      var errors = {};
      if (!name || name.length > MAX_NAME) {
        errors.name = page.text("name_invalid");
      }
      if (description.length > MAX_DESCRIPTION) {
        errors.description = page.text("description_invalid");
      }
      if (price === null || price < 1 || price > MAX_PRICE) {
        errors.price = page.text("price_invalid");
      }
      if (stock === null || stock > MAX_STOCK) {
        errors.stock = page.text("stock_invalid");
      }
      if (helpers.showFieldErrors(form, errors)) {
        return;
      }
      var body = { name: name, description: description, price: price, stock: stock };
      var wasEditing = editing;
      var saved = false;
      page
        .busy(section, function () {
          var call = wasEditing
            ? page.api.request("PUT", "admin/shop/products/" + encodeURIComponent(wasEditing), body)
            : page.api.request("POST", "admin/shop/products", body);
          return call.then(function (product) {
            setEditing(null);
            return load().then(function () {
              saved = true;
              var values = { product: (product && product.name) || name };
              page.showStatus(wasEditing ? "product_saved" : "product_created", values);
            });
          });
        })
        .then(function () {
          if (saved) {
            form.elements.name.focus(); // ready for the next product
          }
        });
    });

    return page.busy(section, load);
  };

  // --- orders --------------------------------------------------------------------------------------------

  AdminPage.prototype.setUpOrders = function (section) {
    var page = this;
    var helpers = page.helpers;
    var filter = section.querySelector("[data-filter]");

    function draw(order) {
      var reference = helpers.reference(order.order_id);
      var item = helpers.element("li", "admin-item");
      item.setAttribute("data-order-id", order.order_id);
      var header = helpers.element("div", "admin-item-header");
      var title = page.text("order", { reference: reference });
      header.appendChild(helpers.element("h3", "admin-item-title", title));
      var badgeClass = "badge order-status order-status-" + order.status;
      var badge = helpers.element("p", badgeClass, page.text("status_" + order.status));
      badge.setAttribute("data-order-status", order.status);
      header.appendChild(badge);
      item.appendChild(header);
      var facts = helpers.element("p", "admin-item-facts");
      var when = helpers.date(order.created_at);
      if (when) {
        facts.appendChild(helpers.element("span", null, when));
      }
      if (order.email) {
        facts.appendChild(helpers.element("span", "admin-email", order.email));
      }
      var total = page.money.format(order.total_amount, order.currency);
      facts.appendChild(helpers.element("span", null, page.text("total", { amount: total })));
      if (order.refunded_amount > 0) {
        var refunded = page.money.format(order.refunded_amount, order.currency);
        facts.appendChild(helpers.element("span", null, page.text("refunded", { amount: refunded })));
      }
      item.appendChild(facts);
      var lines = helpers.element("ul", "order-lines");
      (order.items || []).forEach(function (line) {
        var text = page.text("line", { quantity: line.quantity, name: line.name });
        lines.appendChild(helpers.element("li", "order-line", text));
      });
      item.appendChild(lines);
      if (order.shipping) {
        item.appendChild(helpers.shippingAddress(order.shipping, page.text("ships_to")));
      }
      var next = ORDER_STEPS[order.status];
      if (next) {
        var actions = helpers.element("p", "admin-actions");
        actions.appendChild(
          page.actionButton("mark_" + next, title, "button-primary", function () {
            page.busy(section, function () {
              var path = "admin/shop/orders/" + encodeURIComponent(order.order_id) + "/status";
              return page.api.request("PUT", path, { status: next }).then(function () {
                return load().then(function () {
                  page.showStatus("order_marked", { reference: reference, status: page.text("status_" + next) });
                });
              });
            });
          })
        );
        item.appendChild(actions);
      }
      return item;
    }

    function load() {
      var path = "admin/shop/orders" + (filter.value ? "?status=" + encodeURIComponent(filter.value) : "");
      return page.loadList(section, path, "orders", draw, "no_admin_orders");
    }

    filter.addEventListener("change", function () {
      page.busy(section, load);
    });
    return page.busy(section, load);
  };

  // --- tips ----------------------------------------------------------------------------------------------

  AdminPage.prototype.setUpDonations = function (section) {
    var page = this;
    var helpers = page.helpers;
    var filter = section.querySelector("[data-filter]");

    function draw(donation) {
      var donor = donation.name || page.text("anonymous");
      var item = helpers.element("li", "admin-item");
      item.setAttribute("data-donation-id", donation.donation_id);
      var header = helpers.element("div", "admin-item-header");
      header.appendChild(helpers.element("h3", "admin-item-title", donor));
      var status = donation.status || filter.value;
      header.appendChild(helpers.element("p", "badge order-status", page.text("donation_status_" + status)));
      item.appendChild(header);
      var facts = helpers.element("p", "admin-item-facts");
      facts.appendChild(helpers.element("span", null, page.money.format(donation.amount, donation.currency)));
      var when = helpers.date(donation.created_at);
      if (when) {
        facts.appendChild(helpers.element("span", null, when));
      }
      item.appendChild(facts);
      if (donation.message) {
        item.appendChild(helpers.element("p", "admin-item-text admin-message", donation.message));
      }
      var actions = helpers.element("p", "admin-actions");
      [
        ["approve", true, "button-primary", "approved"],
        ["hide", false, "button-ghost", "hidden"],
      ].forEach(function (action) {
        if (status === action[3]) {
          return;
        }
        actions.appendChild(
          page.actionButton(action[0], donor, action[2], function () {
            page.busy(section, function () {
              var path = "admin/donations/" + encodeURIComponent(donation.donation_id);
              return page.api.request("PUT", path, { visible: action[1] }).then(function () {
                return load().then(function () {
                  page.showStatus("donation_" + action[3], { name: donor });
                });
              });
            });
          })
        );
      });
      item.appendChild(actions);
      return item;
    }

    function load() {
      var path = "admin/donations?status=" + encodeURIComponent(filter.value);
      return page.loadList(section, path, "donations", draw, "no_donations");
    }

    filter.addEventListener("change", function () {
      page.busy(section, load);
    });
    return page.busy(section, load);
  };

  AdminPage.prototype.start = function () {
    var page = this;
    if (!page.cognito.signedIn()) {
      page.showSignedOut();
      return Promise.resolve();
    }
    if (page.cognito.groups().indexOf(ADMIN_GROUP) === -1) {
      page.showNotAdmin();
      return Promise.resolve();
    }
    page.element.querySelector("[data-admin]").hidden = false;
    var products = page.element.querySelector("[data-admin-products]");
    var orders = page.element.querySelector("[data-admin-orders]");
    var donations = page.element.querySelector("[data-admin-donations]");
    // One section after the other: an ID token about to expire is then refreshed once, not once per section.
    var steps = [];
    if (products) {
      steps.push(page.setUpProducts.bind(page, products));
    }
    if (orders) {
      steps.push(page.setUpOrders.bind(page, orders));
    }
    if (donations) {
      steps.push(page.setUpDonations.bind(page, donations));
    }
    return steps.reduce(function (previous, step) {
      return previous.then(function () {
        return page.stopped ? null : step();
      });
    }, Promise.resolve());
  };

  root.creatorcloud.page.start('[data-private="admin"]', AdminPage, true);
})(window);
