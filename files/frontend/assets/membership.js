/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The membership page: the creator's tiers (GET /api/membership/tiers, public) as cards with their
   monthly and yearly prices; for a signed-in fan their membership (GET /api/membership), Join
   (POST /api/membership/checkout, then Stripe Checkout), Manage (POST /api/membership/portal, Stripe's
   billing portal) and the members' area (GET /api/membership/content: 200 for members, 403
   premium_required for everyone else). Back from Checkout (?checkout=success) the page asks again every
   2 s for up to 30 s until the membership is active, since Stripe's webhook may come after the fan.
   Checkout and portal calls name the page's language ("en" below /en/), so Stripe brings the fan back to it.
   The texts are the hidden list [data-membership-texts]: this script holds no text of any language.
   A classic script after cognito.js, api.js, page.js and money.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var ACTIVE = ["active", "trialing"];
  // Statuses in which the fan holds a membership (the API answers already_member to a new checkout).
  var ENTITLED = ["active", "trialing", "past_due"];
  var STATUSES = ["active", "trialing", "past_due", "canceled", "unpaid", "incomplete", "incomplete_expired", "paused"];

  function MembershipPage(element, creatorcloud) {
    creatorcloud.page.setUp(this, element, "[data-membership-texts]", "[data-support-status]");
    this.alert = element.querySelector("[data-support-alert]");
    this.tierList = element.querySelector("[data-membership-tiers]");
    this.tiersState = element.querySelector("[data-membership-tiers-state]");
    this.state = element.querySelector("[data-membership-state]");
    this.premium = element.querySelector("[data-premium-state]");
    this.signedOut = element.querySelector("[data-support-signed-out]");
    this.signedIn = false;
    this.membership = undefined; // the fan's membership once the API told it; null when it could not
    this.tiers = [];
  }

  /* An error in the page's alert, focused so that a screen reader reads it at once; 401 offers sign-in. */
  MembershipPage.prototype.showError = function (error) {
    var code = (error && error.code) || "generic";
    this.helpers.showAlert(this.alert, this.text(code), this.helpers.signInAgain(code, this.signedOut));
  };

  // --- tiers -------------------------------------------------------------------------------------------

  MembershipPage.prototype.price = function (tier, interval) {
    var cents = interval === "month" ? tier.monthly : tier.yearly;
    return this.text(interval, { price: this.money.format(cents, tier.currency) });
  };

  /* Join for one tier and interval; its accessible name also names the tier ("Join monthly" alone would not). */
  MembershipPage.prototype.joinButton = function (tier, interval) {
    var page = this;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button " + (interval === "month" ? "button-primary" : "button-ghost");
    button.setAttribute("data-join", tier.id);
    button.setAttribute("data-interval", interval);
    button.appendChild(document.createTextNode(page.text("join_" + interval)));
    button.appendChild(page.helpers.element("span", "visually-hidden", " " + tier.name));
    button.addEventListener("click", function () {
      page.join(tier.id, interval);
    });
    return button;
  };

  MembershipPage.prototype.renderTiers = function () {
    var page = this;
    var helpers = page.helpers;
    var member = page.membership && ENTITLED.indexOf(page.membership.status) !== -1;
    helpers.showList(page.tierList, page.tiersState, page.tiers, tierCard, page.text("no_tiers"));

    function tierCard(tier) {
      var item = helpers.element("li", "tier-card");
      item.setAttribute("data-tier", tier.id);
      var current = member && page.membership.tier === tier.id;
      if (current) {
        item.classList.add("tier-card-current");
        item.appendChild(helpers.element("p", "badge", page.text("current")));
      }
      item.appendChild(helpers.element("h3", "tier-name", tier.name));
      var prices = helpers.element("p", "tier-prices");
      prices.appendChild(helpers.element("span", "tier-price", page.price(tier, "month")));
      prices.appendChild(helpers.element("span", "tier-price-alt", page.price(tier, "year")));
      item.appendChild(prices);
      // Signed out: the notice above the cards offers sign-in; a member manages instead of joining. Join waits
      // for the fan's membership, so that a member is not offered it for a moment.
      if (page.signedIn && page.membership !== undefined && !member) {
        var actions = helpers.element("p", "tier-actions");
        actions.appendChild(page.joinButton(tier, "month"));
        actions.appendChild(page.joinButton(tier, "year"));
        item.appendChild(actions);
      }
      return item;
    }
  };

  MembershipPage.prototype.loadTiers = function () {
    var page = this;
    return page.api.publicGet("membership/tiers").then(
      function (answer) {
        page.tiers = (answer && answer.tiers) || [];
        page.renderTiers();
      },
      function () {
        page.tiersState.textContent = page.text("tiers_failed");
      }
    );
  };

  // --- the fan's membership -----------------------------------------------------------------------------

  MembershipPage.prototype.tierName = function (tierId) {
    var tier = this.tiers.filter(function (candidate) {
      return candidate.id === tierId;
    })[0];
    return tier ? tier.name : tierId || "";
  };

  /* The fan's membership in its card (tier, interval, status, renews or ends on), or no card without one. */
  MembershipPage.prototype.showMembership = function (membership) {
    this.membership = membership;
    var has = membership && membership.status && membership.status !== "none";
    this.state.hidden = !has;
    if (has) {
      var status = STATUSES.indexOf(membership.status) !== -1 ? membership.status : "other";
      var summary = this.text("summary", {
        tier: this.tierName(membership.tier),
        interval: membership.interval ? this.text("interval_" + membership.interval) : "",
        status: this.text("status_" + status),
      });
      this.state.querySelector("[data-membership-summary]").textContent = summary;
      var period = "";
      if (membership.current_period_end) {
        var ending = membership.cancel_at_period_end || ENTITLED.indexOf(membership.status) === -1;
        var date = this.helpers.date(membership.current_period_end * 1000); // the API gives seconds
        period = this.text(ending ? "ends" : "renews", { date: date });
      }
      this.state.querySelector("[data-membership-period]").textContent = period;
    }
    this.state.setAttribute("data-status", has ? membership.status : "none");
    this.renderTiers();
  };

  MembershipPage.prototype.loadMembership = function () {
    var page = this;
    return page.api.request("GET", "membership").then(function (membership) {
      page.showMembership(membership);
      return membership;
    });
  };

  /* Back from Checkout: ask every 2 s, for up to 30 s, until the webhook has made the membership active. */
  MembershipPage.prototype.awaitActivation = function () {
    var page = this;
    var startedAt = Date.now();
    var load = page.loadMembership.bind(page);
    function active(membership) {
      return ACTIVE.indexOf(membership.status) !== -1;
    }
    page.showStatus("checkout_success");
    return load()
      .then(function (membership) {
        return page.helpers.poll(membership, load, active, startedAt);
      })
      .then(function (result) {
        page.showStatus(result.settled ? "checkout_active" : "checkout_pending");
        return result.answer;
      });
  };

  // --- calls that leave the page --------------------------------------------------------------------------

  /* Every button of the page is off while a call that leaves the page is under way. */
  MembershipPage.prototype.leaveFor = function (call, urlOf) {
    var page = this;
    var buttons = page.element.querySelectorAll("button");
    page.helpers.clearAlert(page.alert);
    return page.helpers.leaveFor(buttons, page.showStatus, call, urlOf, function (error) {
      page.showError(error);
    });
  };

  MembershipPage.prototype.join = function (tierId, interval) {
    var page = this;
    var body = page.helpers.withLanguage({ tier: tierId, interval: interval });
    return page.leaveFor(
      function () {
        return page.api.request("POST", "membership/checkout", body);
      },
      function (answer) {
        return answer.checkout_url;
      }
    );
  };

  MembershipPage.prototype.manage = function () {
    var page = this;
    var body = page.helpers.withLanguage({});
    return page.leaveFor(
      function () {
        return page.api.request("POST", "membership/portal", body.language ? body : undefined);
      },
      function (answer) {
        return answer.url;
      }
    );
  };

  // --- the members' area --------------------------------------------------------------------------------

  MembershipPage.prototype.loadPremium = function () {
    var page = this;
    return page.api.request("GET", "membership/content").then(
      function () {
        page.premium.textContent = page.text("premium_unlocked");
        page.premium.setAttribute("data-premium", "unlocked");
      },
      function (error) {
        var code = error && error.code === "premium_required" ? "premium_required" : "premium_failed";
        page.premium.textContent = page.text(code);
        page.premium.setAttribute("data-premium", code === "premium_required" ? "locked" : "unknown");
      }
    );
  };

  // --- the page -----------------------------------------------------------------------------------------

  MembershipPage.prototype.showSignedOut = function () {
    this.signedIn = false;
    this.signedOut.hidden = false;
    this.state.hidden = true;
    this.premium.textContent = this.text("premium_signed_out");
    this.premium.setAttribute("data-premium", "signed-out");
    this.renderTiers();
  };

  MembershipPage.prototype.start = function () {
    var page = this;
    var checkout = page.helpers.query("checkout");
    page.element.querySelector("[data-membership-portal]").addEventListener("click", function () {
      page.manage();
    });
    if (checkout === "cancelled") {
      page.showStatus("checkout_cancelled");
    }
    var tiers = page.loadTiers();
    if (!page.cognito.signedIn()) {
      page.showSignedOut();
      return;
    }
    page.signedIn = true;
    // The tiers first, so that the fan's membership names its tier (a failed tier list leaves the tier's id).
    tiers
      .then(function () {
        return checkout === "success" ? page.awaitActivation() : page.loadMembership();
      })
      .then(
        function () {
          return page.loadPremium();
        },
        function (error) {
          page.showStatus(null);
          if (error && error.status === 401) {
            page.showSignedOut();
          } else if (page.membership === undefined) {
            page.membership = null; // not known: offer Join all the same, the API refuses a member
            page.renderTiers();
          }
          page.showError(error);
        }
      );
  };

  root.creatorcloud.page.start("[data-membership]", MembershipPage);
})(window);
