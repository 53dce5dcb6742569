/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   Amounts on the pages of the paid features (shop, orders, admin, membership, donations). The API counts in
   the currency's smallest unit, as Stripe does ("cents" here: cents of eur, yen of jpy, fils of bhd); they are
   shown in the page's language (money.format), typed in currency units and turned into cents (money.toCents)
   and back (money.toUnits). How many decimals a currency has comes from the browser's ISO 4217 data (Intl).
   Nothing here holds a text of any language.
   A classic script, deferred; it registers window.creatorcloud.money. */
(function (root) {
  "use strict";

  var FALLBACK_CURRENCY = "EUR";
  var formats = {};

  function code(currency) {
    return String(currency || FALLBACK_CURRENCY).toUpperCase();
  }

  /* The Intl format of `currency` in `language`, or null for a code Intl does not know. */
  function formatOf(currency, language) {
    var key = language + " " + currency;
    if (!(key in formats)) {
      try {
        formats[key] = new Intl.NumberFormat(language, { style: "currency", currency: currency });
      } catch (error) {
        formats[key] = null;
      }
    }
    return formats[key];
  }

  /* How many decimals `currency` has: 2 for eur, 0 for jpy, 3 for bhd (2 for a code Intl does not know). */
  function decimals(currency) {
    var known = formatOf(code(currency), "en");
    return known ? known.resolvedOptions().maximumFractionDigits : 2;
  }

  /* `cents` (an integer, the smallest unit) as `language` (default: the page's) writes an amount of `currency`. */
  function format(cents, currency, language) {
    var iso = code(currency);
    var places = decimals(iso);
    var units = Number(cents || 0) / Math.pow(10, places);
    var known = formatOf(iso, language || document.documentElement.lang || "en");
    return known ? known.format(units) : units.toFixed(places) + " " + iso; // an unknown code: the number and the code
  }

  /* An amount of `currency` typed in its units ("12.50", "12,5", "1.234,50", "1,234.50", "12"; "1.500" for jpy)
     in cents, or null. A mark followed by more digits than the currency has decimals groups thousands. */
  function toCents(text, currency) {
    var places = decimals(currency);
    var value = String(text || "").replace(/[\s\u00a0\u202f']/g, "");
    var fraction = places ? "(?:([.,])(\\d{1," + places + "}))?" : "";
    // Digits with a decimal mark first ("1.234" is 1.234 of bhd), then with thousands marks ("1.234" of eur).
    var match =
      new RegExp("^(\\d+)()" + fraction + "$").exec(value) ||
      new RegExp("^(\\d{1,3}([.,])\\d{3}(?:\\2\\d{3})*)" + fraction + "$").exec(value);
    if (!match || (match[2] && match[2] === match[3])) {
      return null;
    }
    var whole = parseInt(match[1].replace(/[.,]/g, ""), 10);
    var decimalDigits = ((match[4] || "") + "000").slice(0, places);
    return whole * Math.pow(10, places) + (places ? parseInt(decimalDigits, 10) : 0);
  }

  /* Cents as a form field shows them for editing: "12.50" for eur, "1500" for jpy (read back by toCents). */
  function toUnits(cents, currency) {
    var places = decimals(currency);
    return (Number(cents || 0) / Math.pow(10, places)).toFixed(places);
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.money = {
    decimals: decimals,
    format: format,
    toCents: toCents,
    toUnits: toUnits,
  };
})(window);
