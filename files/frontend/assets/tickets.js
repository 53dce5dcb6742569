/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The signed-in fan's tickets (GET /api/tickets, newest first): the event, its date, the status, and for a
   paid ticket its QR code and the code to read out at the door (drawn as SVG elements from the matrix of
   qrcode.js; no HTML strings). Stripe sends the fan here after paying, with ?order=<id>&checkout=success:
   that order's tickets are marked and, since Stripe's webhook may arrive a moment after the fan, the page asks
   again every 2 s (for up to 30 s) while they are still reserved. Texts: the hidden list [data-events-texts].
   A classic script after cognito.js, api.js, page.js, money.js and qrcode.js, deferred. */
(function (root) {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var ORDER_ID = /^[A-Z2-7]{16}$/;
  var QUIET_ZONE = 2; // modules of white around the code, which scanners need

  /* The QR code of `text` as an <svg>: one path of unit squares, black on white. */
  function qrCode(text, label) {
    var matrix = root.creatorcloudQrCode(text);
    var size = matrix.size + 2 * QUIET_ZONE;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("class", "ticket-qr");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.setAttribute("shape-rendering", "crispEdges");
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", String(size));
    background.setAttribute("height", String(size));
    background.setAttribute("fill", "#fff");
    svg.appendChild(background);
    var squares = [];
    for (var row = 0; row < matrix.size; row += 1) {
      for (var column = 0; column < matrix.size; column += 1) {
        if (matrix.isDark(row, column)) {
          squares.push("M" + (column + QUIET_ZONE) + " " + (row + QUIET_ZONE) + "h1v1h-1z");
        }
      }
    }
    var path = document.createElementNS(SVG, "path");
    path.setAttribute("d", squares.join(""));
    path.setAttribute("fill", "#000");
    svg.appendChild(path);
    return svg;
  }

  function TicketsPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-events-texts]", "[data-status]");
    this.section = element.querySelector("[data-tickets]");
    this.list = element.querySelector("[data-ticket-list]");
    this.state = element.querySelector("[data-tickets-state]");
    this.signedOut = element.querySelector("[data-signed-out]");
    var order = this.helpers.query("order");
    this.highlight = order && ORDER_ID.test(order) ? order : null;
    this.returned = this.helpers.query("checkout") === "success";
  }

  TicketsPage.prototype.showSignedOut = function (code) {
    this.helpers.showSignedOut(this, this.section, code);
  };

  TicketsPage.prototype.ticketItem = function (ticket) {
    var helpers = this.helpers;
    var page = this;
    var item = helpers.element("li", "ticket-card");
    item.setAttribute("data-ticket", ticket.order_id + "-" + ticket.ticket_id);
    var header = helpers.element("div", "ticket-header");
    header.appendChild(helpers.element("h3", null, ticket.title));
    var badge = helpers.element("p", "badge ticket-status-" + ticket.status, page.text("ticket_" + ticket.status));
    badge.setAttribute("data-ticket-status", ticket.status);
    header.appendChild(badge);
    item.appendChild(header);
    var when = ticket.starts_at ? ticket.starts_at.replace("T", " ") : "";
    var place = ticket.location === "online" ? page.text("online") : ticket.location;
    item.appendChild(helpers.element("p", "ticket-facts", [when, place].filter(Boolean).join(" · ")));
    if (ticket.code) {
      item.appendChild(qrCode(ticket.code, page.text("qr_label", { title: ticket.title })));
      var code = helpers.element("p", "ticket-code", ticket.code);
      code.setAttribute("data-ticket-code", "");
      item.appendChild(code);
    }
    if (ticket.status === "checked_in" && ticket.checked_in_at) {
      var at = new Date(ticket.checked_in_at).toLocaleString(document.documentElement.lang || "en");
      item.appendChild(helpers.element("p", "ticket-facts", page.text("checked_in_at", { time: at })));
    }
    if (ticket.order_id === page.highlight) {
      item.classList.add("ticket-highlight");
      item.setAttribute("aria-current", "true");
    }
    return item;
  };

  TicketsPage.prototype.load = function () {
    var page = this;
    return page.api.request("GET", "tickets").then(function (answer) {
      var tickets = (answer && answer.tickets) || [];
      page.helpers.showList(page.list, page.state, tickets, page.ticketItem.bind(page), page.text("no_tickets"));
      page.section.hidden = false;
      return tickets;
    });
  };

  /* The order the fan just paid: wait until its tickets are no longer reserved. */
  TicketsPage.prototype.follow = function (tickets, startedAt) {
    var page = this;
    function settled(answer) {
      var mine = answer.filter(function (ticket) {
        return ticket.order_id === page.highlight;
      });
      return mine.length > 0 && mine.every(function (ticket) {
        return ticket.status !== "reserved";
      });
    }
    if (!settled(tickets)) {
      page.showStatus("payment_pending");
    }
    return page.helpers
      .poll(tickets, page.load.bind(page), settled, startedAt)
      .then(function (result) {
        page.showStatus(result.settled ? "payment_done" : "payment_slow");
      })
      .catch(function (error) {
        page.showStatus("payment_slow");
        page.fail(error);
      });
  };

  TicketsPage.prototype.fail = function (error) {
    this.helpers.showListError(this, error, "load_failed");
  };

  TicketsPage.prototype.start = function () {
    var page = this;
    if (!page.cognito.signedIn()) {
      page.showSignedOut();
      return;
    }
    var startedAt = Date.now();
    page
      .load()
      .then(function (tickets) {
        if (page.highlight && page.returned) {
          page.follow(tickets, startedAt);
        }
      })
      .catch(function (error) {
        page.fail(error);
      });
  };

  root.creatorcloud.page.start('[data-private="tickets"]', TicketsPage, true);
})(window);
