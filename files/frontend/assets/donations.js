/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The donations page: the public wall of approved tips and, for a signed-in fan, the tip form.
   GET /api/donations (public) gives the wall and the limits ({"min", "max"} in cents, "currency"), which
   the form checks before any call, naming them. The fan types whole units (5, 12.50 or 12,50), which
   are sent as cents: POST /api/donations/checkout {"amount", "message"?, "anonymous", "language"?}, then
   Stripe Checkout. Every text a fan wrote (name, message) goes onto the wall with textContent, never as
   HTML, so a message holding markup or script is shown and never run. The texts are the hidden list
   [data-donations-texts]: this script holds no text of any language.
   A classic script after cognito.js, api.js, page.js and money.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var ANONYMOUS = "Anonymous"; // the API's name for an anonymous tip, shown in the page's language
  var FALLBACK_CURRENCY = "eur";

  function DonationsPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-donations-texts]", "[data-support-status]");
    this.form = element.querySelector("[data-donate-form]");
    this.alert = this.form.querySelector("[data-support-alert]");
    this.amount = this.form.elements.amount;
    this.message = this.form.elements.message;
    this.counter = this.form.querySelector("[data-message-counter]");
    this.maxMessage = Number(this.counter.getAttribute("data-max"));
    this.wall = element.querySelector("[data-donation-wall]");
    this.wallState = element.querySelector("[data-wall-state]");
    this.signedOut = element.querySelector("[data-support-signed-out]");
    this.limits = null; // {min, max, currency} from the API; null until it answered
  }

  DonationsPage.prototype.currency = function () {
    return (this.limits && this.limits.currency) || FALLBACK_CURRENCY;
  };

  DonationsPage.prototype.format = function (cents, currency) {
    return this.money.format(cents, currency || this.currency());
  };

  // --- the wall ----------------------------------------------------------------------------------------

  /* One approved tip: name, amount, date and message, every one of them as text. */
  DonationsPage.prototype.wallItem = function (donation) {
    var helpers = this.helpers;
    var item = helpers.element("li", "donation");
    item.setAttribute("data-donation-id", String(donation.donation_id || ""));
    var head = helpers.element("p", "donation-head");
    var name = donation.name && donation.name !== ANONYMOUS ? donation.name : this.text("anonymous");
    head.appendChild(helpers.element("span", "donation-name", name));
    head.appendChild(helpers.element("span", "donation-amount", this.format(donation.amount, donation.currency)));
    var date = helpers.date(donation.created_at);
    if (date) {
      var time = helpers.element("time", "donation-date", date);
      time.setAttribute("datetime", new Date(donation.created_at).toISOString());
      head.appendChild(time);
    }
    item.appendChild(head);
    if (donation.message) {
      item.appendChild(helpers.element("p", "donation-message", donation.message));
    }
    return item;
  };

  DonationsPage.prototype.showWall = function (donations) {
    var item = this.wallItem.bind(this);
    this.helpers.showList(this.wall, this.wallState, donations, item, this.text("wall_empty"));
  };

  // --- the form ----------------------------------------------------------------------------------------

  /* The limits as the form names them, like "Between €1.00 and €1,000.00." */
  DonationsPage.prototype.showLimits = function () {
    var page = this;
    var limits = page.limits;
    page.form.querySelector("[data-amount-hint]").textContent = page.text("limits", {
      min: page.format(limits.min),
      max: page.format(limits.max),
    });
    Array.prototype.forEach.call(page.form.querySelectorAll("[data-amount-preset]"), function (button) {
      var cents = page.money.toCents(button.getAttribute("data-amount-preset"), page.currency());
      button.textContent = page.format(cents);
      button.hidden = cents < limits.min || cents > limits.max;
    });
  };

  DonationsPage.prototype.showCounter = function () {
    this.counter.textContent = this.text("counter", { count: this.message.value.length, max: this.maxMessage });
  };

  DonationsPage.prototype.markPreset = function () {
    var value = this.amount.value;
    Array.prototype.forEach.call(this.form.querySelectorAll("[data-amount-preset]"), function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-amount-preset") === value ? "true" : "false");
    });
  };

  DonationsPage.prototype.clearErrors = function () {
    this.helpers.clearErrors(this.form);
    this.helpers.clearAlert(this.alert);
  };

  /* A wrong field: its message (tied with aria-describedby), aria-invalid, and the focus. */
  DonationsPage.prototype.fieldError = function (name, text) {
    var errors = {};
    errors[name] = text;
    this.helpers.showFieldErrors(this.form, errors);
  };

  /* An error of the API in the form's alert, focused; a session that ended offers sign-in. */
  DonationsPage.prototype.showError = function (error) {
    var code = (error && error.code) || "generic";
    if (code === "amount_out_of_range" && this.limits) {
      this.fieldError("amount", this.rangeText());
      return;
    }
    this.helpers.showAlert(this.alert, this.text(code), this.helpers.signInAgain(code, this.signedOut));
  };

  DonationsPage.prototype.rangeText = function () {
    return this.text("amount_range", { min: this.format(this.limits.min), max: this.format(this.limits.max) });
  };

  /* The form's body, or null after marking what is wrong: checked against the limits before any call. */
  DonationsPage.prototype.donation = function () {
    var cents = this.money.toCents(this.amount.value, this.currency());
    if (cents === null || cents <= 0) {
      this.fieldError("amount", this.text("amount_invalid"));
      return null;
    }
    if (this.limits && (cents < this.limits.min || cents > this.limits.max)) {
      this.fieldError("amount", this.rangeText());
      return null;
    }
    var message = this.message.value.trim();
    if (message.length > this.maxMessage) {
      this.fieldError("message", this.text("message_too_long", { max: this.maxMessage }));
      return null;
    }
    var body = { amount: cents, anonymous: this.form.elements.anonymous.checked };
    if (message) {
      body.message = message;
    }
    return this.helpers.withLanguage(body);
  };

  DonationsPage.prototype.submit = function () {
    var page = this;
    page.clearErrors();
    var body = page.donation();
    if (!body) {
      return;
    }
    page.helpers.leaveFor(
      page.form.querySelectorAll("button"),
      page.showStatus,
      function () {
        return page.api.request("POST", "donations/checkout", body);
      },
      function (answer) {
        return answer.checkout_url;
      },
      function (error) {
        page.showError(error);
      }
    );
  };

  DonationsPage.prototype.setUpForm = function () {
    var page = this;
    page.form.hidden = false;
    page.showCounter();
    page.message.addEventListener("input", function () {
      page.showCounter();
    });
    page.amount.addEventListener("input", function () {
      page.markPreset();
    });
    Array.prototype.forEach.call(page.form.querySelectorAll("[data-amount-preset]"), function (button) {
      button.addEventListener("click", function () {
        page.amount.value = button.getAttribute("data-amount-preset");
        page.markPreset();
        page.amount.removeAttribute("aria-invalid");
        page.form.querySelector('[data-field-error="amount"]').textContent = "";
      });
    });
    page.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.submit();
    });
  };

  DonationsPage.prototype.start = function () {
    var page = this;
    var checkout = page.helpers.query("checkout");
    if (checkout === "success" || checkout === "cancelled") {
      page.showStatus("checkout_" + checkout);
    }
    var signedIn = page.cognito.signedIn();
    if (signedIn) {
      page.setUpForm();
    } else {
      page.signedOut.hidden = false;
    }
    page.api
      .publicGet("donations")
      .then(
        function (answer) {
          var limits = answer && answer.limits;
          if (limits && typeof limits.min === "number" && typeof limits.max === "number") {
            page.limits = { min: limits.min, max: limits.max, currency: limits.currency || FALLBACK_CURRENCY };
            page.showLimits();
          }
          page.showWall((answer && answer.donations) || []);
        },
        function () {
          page.wallState.textContent = page.text("wall_failed");
        }
      )
      .catch(function () {
        page.wallState.textContent = page.text("wall_failed"); // an answer of an unexpected shape
      })
      .then(function () {
        // The form works from now on: with the limits when the API gave them, else the API checks alone.
        Array.prototype.forEach.call(page.form.querySelectorAll("[data-until-ready]"), function (button) {
          button.disabled = false;
        });
      });
  };

  root.creatorcloud.page.start("[data-donations]", DonationsPage);
})(window);
