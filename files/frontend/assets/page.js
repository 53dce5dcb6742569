/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   What the scripts of the pages where fans act share (the account pages, shop, orders, admin, membership,
   donations): starting on the page's element, the hidden text lists, the status line, the alert and the
   fields' errors, lists drawn from the API's answers, leaving for Stripe and asking again until Stripe's
   webhook has arrived, the page's language. Nothing here holds a text of any language: every text comes
   from the page's hidden lists (li[data-code]) or its markup.
   A classic script after cognito.js and api.js, deferred; it registers window.creatorcloud.page. */
(function (root) {
  "use strict";

  var POLL_INTERVAL_MS = 2000; // back from Stripe: ask again every 2 s ...
  var POLL_LIMIT_MS = 30000; // ... for up to 30 s

  /* Once the document is read, `new Page(element, window.creatorcloud).start()` on the element `selector` finds;
     nothing without one. A signed-in page (needsApi) wants the creator's API: while config.json names none, its
     [data-unavailable] notice shows instead. */
  function start(selector, Page, needsApi) {
    document.addEventListener("DOMContentLoaded", function () {
      var element = document.querySelector(selector);
      var creatorcloud = root.creatorcloud;
      if (!element || !creatorcloud.api) {
        return;
      }
      if (!needsApi) {
        new Page(element, creatorcloud).start();
        return;
      }
      creatorcloud.config().then(function (config) {
        if (!config.api_url) {
          element.querySelector("[data-unavailable]").hidden = false;
          return;
        }
        new Page(element, creatorcloud).start();
      });
    });
  }

  /* What a page script's object starts with: its element, the parts of window.creatorcloud (api, cognito, money,
     and these helpers as `helpers`), the texts of its hidden list (`text`) and its status line (`showStatus`). */
  function setUp(page, element, textsSelector, statusSelector) {
    var creatorcloud = root.creatorcloud;
    page.element = element;
    page.api = creatorcloud.api;
    page.cognito = creatorcloud.cognito;
    page.money = creatorcloud.money;
    page.helpers = creatorcloud.page;
    page.text = texts(textsSelector);
    page.showStatus = statusLine(element.querySelector(statusSelector), page.text);
  }

  /* The language code the page's path starts with ("en" for /en/shop.html), or null for the first language at
     the root. The API's checkouts take it to send the fan back to the page of their language. */
  function languagePrefix() {
    var match = /^\/([a-z]{2})\//.exec(root.location.pathname);
    return match ? match[1] : null;
  }

  /* `body` with the page's language when the page lives below its code; none at the root (the first language). */
  function withLanguage(body) {
    var language = languagePrefix();
    if (language) {
      body.language = language;
    }
    return body;
  }

  function query(name) {
    return new URLSearchParams(root.location.search).get(name);
  }

  /* The texts of a hidden list (li[data-code]) as a function: text(code, {product: "…"}) fills {product};
     an unknown code gives the list's `generic` text. */
  function texts(selector) {
    var strings = {};
    var list = document.querySelector(selector);
    Array.prototype.forEach.call(list ? list.querySelectorAll("li[data-code]") : [], function (item) {
      strings[item.getAttribute("data-code")] = item.textContent;
    });
    function text(code, values) {
      var value = Object.prototype.hasOwnProperty.call(strings, code) ? strings[code] : strings.generic || code;
      return String(value).replace(/\{([a-z_]+)\}/g, function (placeholder, name) {
        return values && values[name] !== undefined ? String(values[name]) : placeholder;
      });
    }
    text.has = function (code) {
      return Object.prototype.hasOwnProperty.call(strings, code);
    };
    return text;
  }

  /* The page's status line (role="status") as a function: show(code, values) puts the text of `code` in it,
     show(null) empties it. */
  function statusLine(element, text) {
    return function (code, values) {
      element.textContent = code ? text(code, values) : "";
    };
  }

  /* A new element with a class and a text (always as text, never as HTML). */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /* `list` drawn anew, an element per item by draw(item); the line `state` says `emptyText` when there is none. */
  function showList(list, state, items, draw, emptyText) {
    list.textContent = "";
    items.forEach(function (item) {
      list.appendChild(draw(item));
    });
    state.textContent = items.length ? "" : emptyText;
  }

  /* The short reference of an order or donation id that pages show: its first 8 characters, upper case. */
  function reference(id) {
    return String(id || "").slice(0, 8).toUpperCase();
  }

  /* A date-time of the API (ISO 8601, or milliseconds) as the page's language writes the date; "" for none. */
  function date(value) {
    var parsed = value ? new Date(value) : null;
    if (!parsed || isNaN(parsed.getTime())) {
      return "";
    }
    return parsed.toLocaleDateString(document.documentElement.lang || "en", {
      year: "numeric",
      month: "long",
      day: "numeric",
    });
  }

  /* A shipping address of the API ({name, address: {line1, line2, postal_code, city, state, country}}) as an
     <address> headed by `label`, a line per part; the country by its name in the page's language. Text only. */
  function shippingAddress(shipping, label) {
    var block = element("address", "shipping-address");
    block.setAttribute("data-shipping-address", "");
    block.appendChild(element("span", "shipping-address-label", label));
    var address = shipping.address || {};
    var place = [address.postal_code, address.city].filter(Boolean).join(" ");
    [shipping.name, address.line1, address.line2, place, address.state, countryName(address.country)]
      .filter(Boolean)
      .forEach(function (line) {
        block.appendChild(element("span", "shipping-address-line", line));
      });
    return block;
  }

  function countryName(code) {
    if (!code) {
      return "";
    }
    try {
      var names = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region" });
      return names.of(code) || code;
    } catch (error) {
      return code;
    }
  }

  // --- errors --------------------------------------------------------------------------------------------

  /* The alert (role="alert") with a text and an optional link ({href, label}) after it, focused so that a screen
     reader reads it at once. */
  function showAlert(alert, text, link) {
    alert.textContent = text;
    if (link) {
      var anchor = element("a", null, link.label);
      anchor.href = link.href;
      alert.appendChild(document.createTextNode(" "));
      alert.appendChild(anchor);
    }
    alert.hidden = false;
    alert.focus();
  }

  function clearAlert(alert) {
    alert.hidden = true;
    alert.textContent = "";
  }

  /* After an error `code` of `unauthorized` the fan's session has ended: the tab's tokens go, and the link of the
     page's sign-in notice (`notice`) is offered again, as showAlert's {href, label}. Null for any other code. */
  function signInAgain(code, notice) {
    if (code !== "unauthorized") {
      return null;
    }
    root.creatorcloud.cognito.clearSession();
    var link = notice && notice.querySelector("a");
    return link ? { href: link.getAttribute("href"), label: link.textContent } : null;
  }

  /* No field of `container` marked wrong any more, and its alert ([data-form-error]) empty and hidden. */
  function clearErrors(container) {
    Array.prototype.forEach.call(container.querySelectorAll("[data-field-error]"), function (message) {
      message.textContent = "";
    });
    Array.prototype.forEach.call(container.querySelectorAll("[aria-invalid]"), function (input) {
      input.removeAttribute("aria-invalid");
    });
    var alert = container.querySelector("[data-form-error]");
    if (alert) {
      clearAlert(alert);
    }
  }

  /* Mark each wrong field ({name: text}: its [data-field-error], tied with aria-describedby, and aria-invalid) and
     move the focus to the first in document order; true when there was one. */
  function showFieldErrors(form, errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = form.elements[name];
      form.querySelector('[data-field-error="' + name + '"]').textContent = errors[name];
      input.setAttribute("aria-invalid", "true");
      if (!first || input.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING) {
        first = input;
      }
    });
    if (first) {
      first.focus();
    }
    return Boolean(first);
  }

  /* A signed-in page's visitor has no session (any more): the tab's tokens go, the page's `section` hides and its
     sign-in card (page.signedOut) shows; the status line says why (`code`), or nothing. */
  function showSignedOut(page, section, code) {
    root.creatorcloud.cognito.clearSession();
    section.hidden = true;
    page.signedOut.hidden = false;
    page.showStatus(code || null);
  }

  /* A signed-in list page (orders, tickets) could not load: an ended session shows the sign-in card, any other error
     says why in the list's state line (page.state), by its code or else by `fallback`. */
  function showListError(page, error, fallback) {
    if (error.status === 401) {
      showSignedOut(page, page.section, "unauthorized");
      return;
    }
    page.section.hidden = false;
    page.state.textContent = page.text(page.text.has(error.code) ? error.code : fallback);
  }

  // --- calls ---------------------------------------------------------------------------------------------

  function setDisabled(controls, disabled) {
    Array.prototype.forEach.call(controls, function (control) {
      control.disabled = disabled;
    });
  }

  /* Run `action` (a function returning a promise) with `controls` disabled; its error goes to onError. */
  function whileDisabled(controls, action, onError) {
    setDisabled(controls, true);
    return action()
      .catch(onError)
      .then(function () {
        setDisabled(controls, false);
      });
  }

  /* Leave the page for Stripe: call() resolves to the API's answer, and the tab goes to urlOf(answer). Meanwhile
     `controls` are disabled and the status line (showStatus) says so; when it fails they work again, the status
     line empties and the error goes to onError. */
  function leaveFor(controls, showStatus, call, urlOf, onError) {
    setDisabled(controls, true);
    showStatus("redirecting");
    return call()
      .then(function (answer) {
        root.location.assign(urlOf(answer));
      })
      .catch(function (error) {
        showStatus(null);
        setDisabled(controls, false);
        onError(error);
      });
  }

  /* Back from Stripe, whose webhook may reach the API a moment after the fan: while settled(answer) is false, ask
     load() again every 2 s, until 30 s after `since` (a Date.now()). Resolves to {answer, settled} with the last
     answer; rejects with an error of load(). */
  function poll(answer, load, settled, since) {
    if (settled(answer)) {
      return Promise.resolve({ answer: answer, settled: true });
    }
    if (Date.now() + POLL_INTERVAL_MS > since + POLL_LIMIT_MS) {
      return Promise.resolve({ answer: answer, settled: false });
    }
    return new Promise(function (resolve) {
      root.setTimeout(resolve, POLL_INTERVAL_MS);
    })
      .then(load)
      .then(function (next) {
        return poll(next, load, settled, since);
      });
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.page = {
    start: start,
    setUp: setUp,
    languagePrefix: languagePrefix,
    withLanguage: withLanguage,
    query: query,
    texts: texts,
    statusLine: statusLine,
    element: element,
    showList: showList,
    reference: reference,
    date: date,
    shippingAddress: shippingAddress,
    showAlert: showAlert,
    clearAlert: clearAlert,
    signInAgain: signInAgain,
    showSignedOut: showSignedOut,
    showListError: showListError,
    clearErrors: clearErrors,
    showFieldErrors: showFieldErrors,
    whileDisabled: whileDisabled,
    leaveFor: leaveFor,
    poll: poll,
  };
})(window);
