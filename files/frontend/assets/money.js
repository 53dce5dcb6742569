/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   Amounts on the pages of the paid features (shop, orders, admin, membership, donations): cents shown in the
   page's language (money.format), amounts typed in currency units turned into cents (money.toCents) and back
   (money.toUnits). Nothing here holds a text of any language.
   A classic script, deferred; it registers window.creatorcloud.money. */
(function (root) {
  "use strict";

  var formats = {};

  /* `cents` (an integer) as `language` (default: the page's) writes an amount of `currency` (ISO code, any case). */
  function format(cents, currency, language) {
    language = language || document.documentElement.lang || "en";
    var code = String(currency || "eur").toUpperCase();
    var key = language + " " + code;
    if (!formats[key]) {
      try {
        formats[key] = new Intl.NumberFormat(language, { style: "currency", currency: code });
      } catch (error) {
        formats[key] = null; // an unknown currency code: show the number and the code
      }
    }
    var units = Number(cents || 0) / 100;
    return formats[key] ? formats[key].format(units) : units.toFixed(2) + " " + code;
  }

  /* An amount typed in currency units ("12.50", "12,5", "1.234,50", "1,234.50", "12") in cents, or null. */
  function toCents(text) {
    var value = String(text || "").replace(/[\s\u00a0\u202f']/g, "");
    var match = /^(\d{1,3}(?:([.,])\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(value);
    if (!match || (match[2] && match[2] === match[3])) {
      return null;
    }
    var whole = match[1].replace(/[.,]/g, "");
    var fraction = ((match[4] || "") + "00").slice(0, 2);
    return parseInt(whole, 10) * 100 + parseInt(fraction, 10);
  }

  /* Cents as a form field shows them for editing: "12.50" (a dot, which toCents reads back). */
  function toUnits(cents) {
    return (Number(cents || 0) / 100).toFixed(2);
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.money = {
    format: format,
    toCents: toCents,
    toUnits: toUnits,
  };
})(window);
