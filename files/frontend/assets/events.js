/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The events page: GET /api/events (public, upcoming first), a card per event with its date and time in the
   event's own time zone, the place, the price and the tickets left; sold-out, cancelled and past events are
   marked and sell nothing. A signed-in fan chooses 1..N tickets: a paid event goes to Stripe's page
   (POST /api/events/<id>/checkout), a free one gives the tickets at once and links to "my tickets".
   ?event=<id> marks that event; ?checkout=cancelled (back from Stripe) says nothing was charged.
   Every text comes from the hidden list [data-events-texts]; event texts go onto the page as text only.
   A classic script after cognito.js, api.js, page.js and money.js, deferred. */
(function (root) {
  "use strict";

  var EVENT_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

  function EventsPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-events-texts]", "[data-events-status]");
    this.list = element.querySelector("[data-event-list]");
    this.state = element.querySelector("[data-events-state]");
    this.alert = element.querySelector("[data-form-error]");
    this.signedOutNotice = element.querySelector("[data-events-signed-out]");
    this.hasAccounts = element.hasAttribute("data-has-accounts");
    var chosen = this.helpers.query("event");
    this.highlight = chosen && EVENT_ID.test(chosen) ? chosen : null;
  }

  /* The event's start as the page's language writes it, in the event's time zone (where the fan must be). */
  EventsPage.prototype.when = function (event) {
    var language = document.documentElement.lang || "en";
    try {
      return new Intl.DateTimeFormat(language, {
        dateStyle: "full",
        timeStyle: "short",
        timeZone: event.time_zone,
      }).format(new Date(event.starts_at_utc));
    } catch (error) {
      return event.starts_at.replace("T", " ");
    }
  };

  EventsPage.prototype.card = function (event) {
    var helpers = this.helpers;
    var page = this;
    var item = helpers.element("li", "event-card");
    item.id = "event-" + event.event_id;
    item.setAttribute("data-event-id", event.event_id);
    var header = helpers.element("div", "event-header");
    header.appendChild(helpers.element("h3", null, event.title));
    var badge = helpers.element("p", "badge event-status-" + event.status, page.text("status_" + event.status));
    badge.setAttribute("data-event-status", event.status);
    header.appendChild(badge);
    item.appendChild(header);
    var time = helpers.element("p", "event-facts");
    var stamp = helpers.element("time", null, page.when(event));
    stamp.setAttribute("datetime", event.starts_at_utc);
    time.appendChild(stamp);
    item.appendChild(time);
    var place = event.online ? page.text("online") : event.location;
    item.appendChild(helpers.element("p", "event-facts", place));
    if (event.description) {
      item.appendChild(helpers.element("p", "event-description", event.description));
    }
    var price = event.price ? page.money.format(event.price, event.currency) : page.text("free");
    item.appendChild(helpers.element("p", "event-price", page.text("price", { price: price })));
    if (event.status === "on_sale") {
      var left = helpers.element("p", "event-left", page.text("left", { count: event.tickets_available }));
      left.setAttribute("data-tickets-left", String(event.tickets_available));
      item.appendChild(left);
      if (page.hasAccounts) {
        item.appendChild(page.buyForm(event));
      }
    }
    if (event.event_id === page.highlight) {
      item.classList.add("event-highlight");
      item.setAttribute("aria-current", "true");
    }
    return item;
  };

  /* How many tickets (1 .. the order limit, never more than are left) and the button that takes them. */
  EventsPage.prototype.buyForm = function (event) {
    var helpers = this.helpers;
    var page = this;
    var form = helpers.element("form", "event-buy");
    var label = helpers.element("label", null, page.text("quantity"));
    var select = helpers.element("select");
    select.name = "quantity";
    var most = Math.min(event.max_per_order, event.tickets_available);
    for (var count = 1; count <= most; count += 1) {
      var option = helpers.element("option", null, String(count));
      option.value = String(count);
      select.appendChild(option);
    }
    label.appendChild(select);
    form.appendChild(label);
    var button = helpers.element("button", "button button-primary", page.text(event.price ? "buy" : "rsvp"));
    button.type = "submit";
    button.setAttribute("data-buy", event.event_id);
    form.appendChild(button);
    form.addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      page.buy(event, Number(select.value), [button, select]);
    });
    return form;
  };

  EventsPage.prototype.buy = function (event, quantity, controls) {
    var page = this;
    page.helpers.clearErrors(page.element);
    if (!page.cognito.signedIn()) {
      page.signedOutNotice.hidden = false;
      page.signedOutNotice.scrollIntoView({ block: "nearest" });
      return;
    }
    var body = page.helpers.withLanguage({ quantity: quantity });
    var path = "events/" + encodeURIComponent(event.event_id) + "/checkout";
    if (event.price) {
      page.helpers.leaveFor(
        controls,
        page.showStatus,
        function () {
          return page.api.request("POST", path, body);
        },
        function (answer) {
          return answer.checkout_url;
        },
        page.fail.bind(page),
      );
      return;
    }
    page.helpers.whileDisabled(
      controls,
      function () {
        return page.api.request("POST", path, body).then(function (answer) {
          page.showStatus("rsvp_done", { count: answer.tickets.length, title: event.title });
          return page.load();
        });
      },
      page.fail.bind(page),
    );
  };

  EventsPage.prototype.fail = function (error) {
    var code = error.code || "generic";
    var link = this.helpers.signInAgain(code, this.signedOutNotice);
    this.helpers.showAlert(this.alert, this.text(this.text.has(code) ? code : "generic"), link);
    if (code === "sold_out" || code === "event_not_on_sale") {
      this.load().catch(function () {});
    }
  };

  EventsPage.prototype.load = function () {
    var page = this;
    return page.api.publicGet("events").then(function (answer) {
      var events = (answer && answer.events) || [];
      page.helpers.showList(page.list, page.state, events, page.card.bind(page), page.text("no_events"));
      return events;
    });
  };

  EventsPage.prototype.start = function () {
    var page = this;
    if (page.helpers.query("checkout") === "cancelled") {
      page.showStatus("checkout_cancelled");
    }
    if (page.signedOutNotice) {
      page.signedOutNotice.hidden = page.cognito.signedIn();
    }
    page
      .load()
      .then(function () {
        var chosen = page.highlight && document.getElementById("event-" + page.highlight);
        if (chosen && chosen.scrollIntoView) {
          chosen.scrollIntoView({ block: "nearest" });
        }
      })
      .catch(function (error) {
        page.state.textContent = page.text(page.text.has(error.code) ? error.code : "load_failed");
      });
  };

  root.creatorcloud.page.start("[data-events]", EventsPage, false);
})(window);
