/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The shop page: the products (GET /api/shop/products, public) as a grid, and the cart (#cart) beside it.
   The cart is {product_id: quantity} in localStorage ("creatorcloud-cart"): no personal data, and it
   survives a reload and is the same in every tab. Checkout needs a signed-in fan: POST /api/shop/checkout
   with the lines only (the API takes every price from its own table) and the page's language ("en" below
   /en/, none at the root, so Stripe sends the fan back to the pages of their language), then Stripe's
   Checkout page. Back from it, ?checkout=cancelled keeps the cart; a paid order lands on orders.html,
   which empties the cart. Product images are shown only when they are served by the site itself: the
   Content-Security-Policy's img-src is 'self' (files/frontend/README.md, "Shop").
   Every product text goes onto the page with textContent. The texts are the hidden list
   [data-shop-texts]: this script holds no text of any language.
   A classic script after cognito.js, api.js, page.js and money.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var CART_KEY = "creatorcloud-cart";
  var MAX_QUANTITY = 100; // the API's limit per line
  var MAX_LINES = 20; // the API's limit of lines per checkout
  var PRODUCT_ID = /^[a-f0-9]{32}$/;
  // Errors after which the products are read again: stock or availability changed since the page loaded.
  var STALE_ERRORS = ["out_of_stock", "product_unavailable", "product_not_found"];

  // --- the cart in localStorage ----------------------------------------------------------------------------

  /* The stored cart, cleaned: product ids of the API's shape, whole quantities 1..100, at most 20 lines. */
  function readCart() {
    var stored = null;
    try {
      stored = JSON.parse(root.localStorage.getItem(CART_KEY) || "null");
    } catch (error) {
      stored = null; // storage disabled or damaged: start with an empty cart
    }
    var cart = {};
    if (stored && typeof stored === "object" && !Array.isArray(stored)) {
      Object.keys(stored)
        .filter(function (id) {
          var quantity = stored[id];
          return PRODUCT_ID.test(id) && Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY;
        })
        .slice(0, MAX_LINES)
        .forEach(function (id) {
          cart[id] = stored[id];
        });
    }
    return cart;
  }

  function writeCart(cart) {
    try {
      if (Object.keys(cart).length) {
        root.localStorage.setItem(CART_KEY, JSON.stringify(cart));
      } else {
        root.localStorage.removeItem(CART_KEY);
      }
    } catch (error) {
      /* storage disabled: the cart lives as long as the page */
    }
  }

  // --- the page -------------------------------------------------------------------------------------------

  function ShopPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-shop-texts]", "[data-shop-status]");
    this.grid = element.querySelector("[data-products]");
    this.productsState = element.querySelector("[data-products-state]");
    this.placeholder = element.querySelector("[data-shop-placeholder]");
    this.cartPanel = element.querySelector("[data-cart]");
    this.cartLines = this.cartPanel.querySelector("[data-cart-lines]");
    this.cartEmpty = this.cartPanel.querySelector("[data-cart-empty]");
    this.cartTotalRow = this.cartPanel.querySelector("[data-cart-total-row]");
    this.cartTotal = this.cartPanel.querySelector("[data-cart-total]");
    this.alert = this.cartPanel.querySelector("[data-form-error]");
    this.checkoutButton = this.cartPanel.querySelector("[data-checkout]");
    this.signedOut = this.cartPanel.querySelector("[data-cart-signed-out]");
    this.products = null; // by id, once loaded
    this.order = []; // product ids in the API's order (by name)
    this.cart = readCart();
  }

  /* An error at the cart, in its alert (focused); a session that ended offers sign-in again. */
  ShopPage.prototype.showError = function (code) {
    this.helpers.showAlert(this.alert, this.text(code), this.helpers.signInAgain(code, this.signedOut));
  };

  ShopPage.prototype.clearError = function () {
    this.helpers.clearAlert(this.alert);
  };

  ShopPage.prototype.price = function (cents, currency) {
    return this.money.format(cents, currency);
  };

  // --- products -------------------------------------------------------------------------------------------

  /* An image URL the page may show: only the site's own (img-src 'self'); other hosts would be blocked. */
  ShopPage.prototype.ownImage = function (product) {
    var images = Array.isArray(product.images) ? product.images : [];
    for (var index = 0; index < images.length; index += 1) {
      try {
        var url = new URL(images[index], root.location.href);
        if (url.origin === root.location.origin) {
          return url.href;
        }
      } catch (error) {
        /* not a URL: skip it */
      }
    }
    return null;
  };

  ShopPage.prototype.productMedia = function (product) {
    var helpers = this.helpers;
    var media = helpers.element("div", "product-media");
    var src = this.ownImage(product);
    if (src) {
      var image = document.createElement("img");
      image.src = src;
      image.alt = ""; // the name is the card's heading right below
      image.loading = "lazy";
      image.decoding = "async";
      media.appendChild(image);
    } else {
      media.classList.add("product-placeholder");
      media.appendChild(this.placeholder.firstElementChild.cloneNode(true));
    }
    return media;
  };

  ShopPage.prototype.productCard = function (id) {
    var page = this;
    var helpers = page.helpers;
    var product = page.products[id];
    var card = helpers.element("li", "product-card");
    card.setAttribute("data-product-id", id);
    card.appendChild(page.productMedia(product));
    var body = helpers.element("div", "product-body");
    var heading = helpers.element("h3", "product-name", product.name);
    heading.id = "product-" + id;
    body.appendChild(heading);
    if (product.description) {
      body.appendChild(helpers.element("p", "product-description", product.description));
    }
    var footer = helpers.element("div", "product-footer");
    footer.appendChild(helpers.element("p", "product-price", page.price(product.price, product.currency)));
    if (product.stock > 0) {
      var button = helpers.element("button", "button button-primary product-add", page.text("add"));
      button.type = "button";
      button.setAttribute("data-add", id);
      button.appendChild(helpers.element("span", "visually-hidden", " " + product.name));
      button.addEventListener("click", function () {
        page.add(id);
      });
      footer.appendChild(button);
    } else {
      footer.appendChild(helpers.element("p", "badge badge-muted product-sold-out", page.text("sold_out")));
    }
    body.appendChild(footer);
    card.appendChild(body);
    return card;
  };

  ShopPage.prototype.renderProducts = function () {
    var page = this;
    var card = page.productCard.bind(page);
    page.helpers.showList(page.grid, page.productsState, page.order, card, page.text("no_products"));
  };

  /* Read the products; lines of products no longer on sale leave the cart, and quantities keep to the stock. */
  ShopPage.prototype.loadProducts = function () {
    var page = this;
    return page.api.publicGet("shop/products").then(
      function (answer) {
        var products = (answer && answer.products) || [];
        page.products = {};
        page.order = [];
        products.forEach(function (product) {
          if (product && PRODUCT_ID.test(product.product_id) && !product.archived) {
            page.products[product.product_id] = product;
            page.order.push(product.product_id);
          }
        });
        page.renderProducts();
        page.pruneCart();
        page.renderCart();
      },
      function (error) {
        page.productsState.textContent = page.text(error.code === "unavailable" ? "unavailable" : "load_failed");
        page.renderCart();
      }
    );
  };

  // --- the cart -------------------------------------------------------------------------------------------

  /* Drop lines of products the shop no longer has; true when one went. */
  ShopPage.prototype.pruneCart = function () {
    var page = this;
    var pruned = false;
    Object.keys(page.cart).forEach(function (id) {
      if (!page.products[id]) {
        delete page.cart[id];
        pruned = true;
      }
    });
    if (pruned) {
      writeCart(page.cart);
      page.showStatus("cart_pruned");
    }
    return pruned;
  };

  ShopPage.prototype.limit = function (id) {
    var product = this.products && this.products[id];
    return product ? Math.min(MAX_QUANTITY, Math.max(0, product.stock)) : MAX_QUANTITY;
  };

  ShopPage.prototype.setQuantity = function (id, quantity) {
    if (quantity <= 0) {
      delete this.cart[id];
    } else {
      this.cart[id] = quantity;
    }
    writeCart(this.cart);
    this.renderCart();
  };

  ShopPage.prototype.add = function (id) {
    var product = this.products[id];
    var quantity = (this.cart[id] || 0) + 1;
    this.clearError();
    if (!this.cart[id] && Object.keys(this.cart).length >= MAX_LINES) {
      this.showStatus("cart_full");
      return;
    }
    if (quantity > this.limit(id)) {
      this.showStatus("stock_limit", { product: product.name });
      return;
    }
    this.setQuantity(id, quantity);
    this.showStatus("added", { product: product.name, quantity: quantity });
  };

  /* A small button whose visible text is a sign and whose name says what it does with which product. */
  ShopPage.prototype.lineButton = function (action, sign, product, onClick) {
    var helpers = this.helpers;
    var button = helpers.element("button", "cart-button cart-" + action);
    button.type = "button";
    button.setAttribute("data-cart-action", action);
    var visible = helpers.element("span", null, sign);
    visible.setAttribute("aria-hidden", "true");
    button.appendChild(visible);
    button.appendChild(helpers.element("span", "visually-hidden", this.text(action, { product: product.name })));
    button.addEventListener("click", onClick);
    return button;
  };

  ShopPage.prototype.cartLine = function (id) {
    var page = this;
    var helpers = page.helpers;
    var product = page.products[id];
    var quantity = page.cart[id];
    var line = helpers.element("li", "cart-line");
    line.setAttribute("data-cart-line", id);
    line.appendChild(helpers.element("span", "cart-name", product.name));
    line.appendChild(
      helpers.element("span", "cart-unit", page.text("each", { price: page.price(product.price, product.currency) }))
    );
    var controls = helpers.element("span", "cart-quantity");
    var decrease = page.lineButton("decrease", "\u2212", product, function () {
      page.clearError();
      page.setQuantity(id, quantity - 1);
      page.showStatus(quantity - 1 ? "quantity" : "removed", { product: product.name, quantity: quantity - 1 });
      page.focusLine(id, "decrease");
    });
    var count = helpers.element("span", "cart-count", String(quantity));
    count.setAttribute("data-cart-quantity", "");
    var increase = page.lineButton("increase", "+", product, function () {
      page.clearError();
      if (quantity + 1 > page.limit(id)) {
        page.showStatus("stock_limit", { product: product.name });
        return;
      }
      page.setQuantity(id, quantity + 1);
      page.showStatus("quantity", { product: product.name, quantity: quantity + 1 });
      page.focusLine(id, "increase");
    });
    controls.appendChild(decrease);
    controls.appendChild(count);
    controls.appendChild(increase);
    line.appendChild(controls);
    var lineTotal = page.price(product.price * quantity, product.currency);
    line.appendChild(helpers.element("span", "cart-line-total", lineTotal));
    var remove = helpers.element("button", "cart-remove", page.text("remove_label"));
    remove.type = "button";
    remove.setAttribute("data-cart-action", "remove");
    remove.appendChild(helpers.element("span", "visually-hidden", " " + product.name));
    remove.addEventListener("click", function () {
      page.clearError();
      page.setQuantity(id, 0);
      page.showStatus("removed", { product: product.name });
      page.focusFirstLine();
    });
    line.appendChild(remove);
    return line;
  };

  /* After a change the line is drawn anew: the focus goes back to the same button (or the cart when it left). */
  ShopPage.prototype.focusLine = function (id, action) {
    var line = this.cartLines.querySelector('[data-cart-line="' + id + '"]');
    var button = line && line.querySelector('[data-cart-action="' + action + '"]');
    if (button) {
      button.focus();
    } else {
      this.focusFirstLine();
    }
  };

  ShopPage.prototype.focusFirstLine = function () {
    var first = this.cartLines.querySelector("button");
    (first || this.cartPanel).focus();
  };

  ShopPage.prototype.renderCart = function () {
    var page = this;
    var ids = page.products
      ? page.order.filter(function (id) {
          return page.cart[id];
        })
      : [];
    page.cartLines.textContent = "";
    ids.forEach(function (id) {
      page.cartLines.appendChild(page.cartLine(id));
    });
    var currency = ids.length ? page.products[ids[0]].currency : null;
    var total = ids.reduce(function (sum, id) {
      return sum + page.products[id].price * page.cart[id];
    }, 0);
    // Until the products are read, a stored cart cannot be drawn, but it is not empty either.
    page.cartEmpty.hidden = ids.length > 0 || (!page.products && Object.keys(page.cart).length > 0);
    page.cartTotalRow.hidden = ids.length === 0;
    page.cartTotal.textContent = ids.length ? page.price(total, currency) : "";
    if (page.checkoutButton) {
      page.checkoutButton.disabled = ids.length === 0;
    }
  };

  // --- checkout -------------------------------------------------------------------------------------------

  /* The checkout's body: the lines (never a price: the API reads its own) and the page's language. */
  ShopPage.prototype.checkoutBody = function () {
    var page = this;
    return page.helpers.withLanguage({
      items: page.order
        .filter(function (id) {
          return page.cart[id];
        })
        .map(function (id) {
          return { product_id: id, quantity: page.cart[id] };
        }),
    });
  };

  ShopPage.prototype.checkout = function () {
    var page = this;
    page.clearError();
    if (!page.cognito.signedIn()) {
      page.signedOut.hidden = false;
      page.showError("sign_in_first");
      return;
    }
    var body = page.checkoutBody();
    if (!body.items.length) {
      return;
    }
    page.helpers.leaveFor(
      [page.checkoutButton],
      page.showStatus,
      function () {
        return page.api.request("POST", "shop/checkout", body);
      },
      function (answer) {
        if (!answer || !/^https?:\/\//.test(answer.checkout_url || "")) {
          throw new page.api.ApiError(0, "payment_provider_error", "no checkout address");
        }
        return answer.checkout_url;
      },
      function (error) {
        if (error.status === 401) {
          page.signedOut.hidden = false; // showError drops the session and offers sign-in
        }
        page.showError(error.code);
        if (STALE_ERRORS.indexOf(error.code) !== -1) {
          // The shop changed since the page was loaded: show the stock as it is now (the alert keeps the focus).
          page.loadProducts();
        }
      }
    );
  };

  ShopPage.prototype.start = function () {
    var page = this;
    if (page.helpers.query("checkout") === "cancelled") {
      page.showStatus("checkout_cancelled");
    }
    if (page.checkoutButton) {
      page.signedOut.hidden = page.cognito.signedIn();
      page.checkoutButton.addEventListener("click", function () {
        page.checkout();
      });
    }
    // Another tab changed the cart: show it as it is now.
    root.addEventListener("storage", function (event) {
      if (event.key === CART_KEY || event.key === null) {
        page.cart = readCart();
        if (page.products) {
          page.renderCart();
        }
      }
    });
    page.renderCart();
    return page.loadProducts();
  };

  root.creatorcloud.page.start("[data-shop]", ShopPage);
})(window);
