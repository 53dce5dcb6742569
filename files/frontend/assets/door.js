/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The door's check-in, for the door group and admins: the events on sale (GET /api/events), and a form that
   sends a ticket's code (typed in, or pasted from a QR scanner) to POST /api/admin/events/<id>/check-in.
   The answer shows large and coloured (let in / refused with the reason: already checked in, when and by
   whom; forged; another event's; refunded; unpaid), and goes on top of this session's log. The field empties
   and takes the focus again, ready for the next ticket. Texts: the hidden list [data-events-texts].
   A classic script after cognito.js, api.js, page.js and money.js, deferred. */
(function (root) {
  "use strict";

  function DoorPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-events-texts]", "[data-status]");
    this.section = element.querySelector("[data-door]");
    this.form = element.querySelector("[data-door-form]");
    this.events = element.querySelector("[data-door-events]");
    this.result = element.querySelector("[data-door-result]");
    this.log = element.querySelector("[data-door-log]");
    this.alert = this.form.querySelector("[data-form-error]");
    this.signedOut = element.querySelector("[data-signed-out]");
  }

  DoorPage.prototype.show = function (ok, text) {
    this.result.className = "door-result " + (ok ? "door-result-ok" : "door-result-refused");
    this.result.setAttribute("data-door-outcome", ok ? "in" : "refused");
    this.result.textContent = text;
    this.result.hidden = false;
    var entry = this.helpers.element("li", null, new Date().toLocaleTimeString() + " " + text);
    this.log.insertBefore(entry, this.log.firstChild);
  };

  /* Why a ticket does not get in, in the page's words; a second scan says when (local time) and by whom. */
  DoorPage.prototype.refusal = function (error) {
    if (error.code === "already_checked_in" && error.details) {
      var at = new Date(error.details.checked_in_at).toLocaleTimeString(document.documentElement.lang || "en", {
        hour: "2-digit",
        minute: "2-digit",
      });
      return this.text("already_checked_in", { time: at, by: error.details.checked_in_by });
    }
    return this.text(this.text.has(error.code) ? error.code : "generic");
  };

  DoorPage.prototype.checkIn = function () {
    var page = this;
    var code = page.form.elements.code.value.trim();
    var eventId = page.events.value;
    page.helpers.clearErrors(page.form);
    if (!code) {
      page.helpers.showFieldErrors(page.form, { code: page.text("code_missing") });
      return Promise.resolve();
    }
    var path = "admin/events/" + encodeURIComponent(eventId) + "/check-in";
    return page.api
      .request("POST", path, { code: code })
      .then(function () {
        page.show(true, page.text("checked_in"));
      })
      .catch(function (error) {
        if (error.status === 401 || error.status === 403) {
          page.helpers.showAlert(page.alert, page.text(error.status === 403 ? "door_only" : "unauthorized"));
          return;
        }
        page.show(false, page.refusal(error));
      })
      .then(function () {
        page.form.elements.code.value = "";
        page.form.elements.code.focus();
      });
  };

  DoorPage.prototype.start = function () {
    var page = this;
    if (!page.cognito.signedIn()) {
      page.helpers.showSignedOut(page, page.section);
      return;
    }
    page.api
      .publicGet("events")
      .then(function (answer) {
        var events = ((answer && answer.events) || []).filter(function (event) {
          return event.status === "on_sale" || event.status === "sold_out";
        });
        events.forEach(function (event) {
          var option = page.helpers.element("option", null, event.title + " (" + event.date + ")");
          option.value = event.event_id;
          page.events.appendChild(option);
        });
        page.section.hidden = false;
        page.form.querySelector("[data-until-ready]").disabled = events.length === 0;
        if (!events.length) {
          page.showStatus("no_door_events");
        }
      })
      .catch(function (error) {
        page.showStatus(page.text.has(error.code) ? error.code : "load_failed");
      });
    page.form.addEventListener("submit", function (submitted) {
      submitted.preventDefault();
      var button = page.form.querySelector("[data-until-ready]");
      page.helpers.whileDisabled([button], page.checkIn.bind(page), function () {});
    });
  };

  root.creatorcloud.page.start('[data-private="door"]', DoorPage, true);
})(window);
