/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   Helpers the pages of the paid features share (shop, orders, admin, membership, donations): amounts in
   cents shown in the page's language (money.format), amounts typed in currency units turned into cents
   (money.toCents, also named money.parse), the page's language prefix (money.languagePrefix), and on
   window.creatorcloud.page the page's hidden text lists, the ID token's groups and the API's public
   routes (GET without a session, which api.js always wants). Nothing here holds a text of any language.
   A classic script after cognito.js and api.js, deferred; it registers window.creatorcloud.money and
   window.creatorcloud.page. */
(function (root) {
  "use strict";

  var SESSION_KEY = "creatorcloud-session"; // written by cognito.js
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

  /* The language code the page's path starts with ("en" for /en/shop.html), or null for the first language at
     the root. The API's checkouts take it to send the fan back to the page of their language. */
  function pathLanguage() {
    var match = /^\/([a-z]{2})\//.exec(root.location.pathname);
    return match ? match[1] : null;
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

  /* The claims of a JWT (read, not verified: the API verifies the token on every call). */
  function claims(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var bytes = Uint8Array.from(atob(part + "===".slice((part.length + 3) % 4)), function (character) {
        return character.charCodeAt(0);
      });
      return JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      return {};
    }
  }

  /* The groups of the tab's ID token (cognito:groups), [] when signed out. Read from the stored session as
     it is, without refreshing it: the groups only choose what the page offers, the API decides. */
  function groups() {
    var session = null;
    try {
      session = JSON.parse(root.sessionStorage.getItem(SESSION_KEY) || "null");
    } catch (error) {
      session = null; // storage disabled: nobody is signed in
    }
    var names = session && session.id_token ? claims(session.id_token)["cognito:groups"] : null;
    return Array.isArray(names) ? names.slice() : [];
  }

  /* GET `/api/<path>` without a session (the public routes); an error is api.js's ApiError with the API's code. */
  function publicGet(path) {
    var ApiError = root.creatorcloud.api.ApiError;
    return root.creatorcloud.config().then(function (config) {
      if (!config.api_url) {
        throw new ApiError(0, "unavailable", "this site has no API configured");
      }
      return fetch(config.api_url.replace(/\/+$/, "") + "/api/" + path, {
        method: "GET",
        credentials: "omit",
        cache: "no-store",
      })
        .catch(function () {
          throw new ApiError(0, "network_error", "the API cannot be reached");
        })
        .then(function (response) {
          return response.text().then(function (text) {
            var answer = null;
            try {
              answer = text ? JSON.parse(text) : null;
            } catch (error) {
              answer = null;
            }
            if (!response.ok) {
              var code = (answer && answer.code) || "internal_error";
              throw new ApiError(response.status, code, answer && answer.message);
            }
            return answer;
          });
        });
    });
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

  /* The short reference of an order or donation id that pages show: its first 8 characters, upper case. */
  function reference(id) {
    return String(id || "").slice(0, 8).toUpperCase();
  }

  /* A date-time of the API (ISO 8601) as the page's language writes the date, or "" when it is none. */
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

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.money = {
    format: format,
    toCents: toCents,
    parse: toCents, // parse(text, currency): the name donations.js uses; every currency has cents here
    toUnits: toUnits,
    languagePrefix: pathLanguage,
  };
  root.creatorcloud.page = {
    language: pathLanguage,
    query: query,
    texts: texts,
    claims: claims,
    groups: groups,
    publicGet: publicGet,
    element: element,
    reference: reference,
    date: date,
  };
})(window);
