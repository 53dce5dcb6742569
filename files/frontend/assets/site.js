/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The fans' site without a framework: the mobile menu, the language choice and the
   header's account link. Loaded from <head>
   without defer so that <html class="js"> is set before the first paint; everything else waits for
   the document. Without this script every page still works: the menu is simply always open. */
(function () {
  "use strict";

  var STORAGE_KEY = "creatorcloud-language";
  var SESSION_KEY = "creatorcloud-session"; // written by cognito.js on the account pages
  document.documentElement.classList.add("js");

  function storedLanguage() {
    try {
      return window.localStorage.getItem(STORAGE_KEY);
    } catch (error) {
      return null; // storage disabled (private mode, blocked): just do not remember
    }
  }

  function storeLanguage(language) {
    try {
      window.localStorage.setItem(STORAGE_KEY, language);
    } catch (error) {
      /* not remembered, nothing else changes */
    }
  }

  function setUpMenu() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = document.getElementById("site-nav");
    if (!toggle || !nav) {
      return;
    }
    toggle.hidden = false;

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  /* The first of the visitor's preferred languages that the site has, or null. */
  function preferredLanguage(available) {
    var preferences = navigator.languages || [navigator.language || ""];
    for (var index = 0; index < preferences.length; index += 1) {
      var code = String(preferences[index]).toLowerCase().split("-")[0];
      if (available.indexOf(code) !== -1) {
        return code;
      }
    }
    return null;
  }

  function suggestLanguage(link, dismissText, currentLanguage) {
    var banner = document.createElement("div");
    banner.className = "language-suggestion";
    banner.setAttribute("role", "region");
    banner.setAttribute("aria-label", link.getAttribute("data-suggest"));

    var offer = document.createElement("a");
    offer.href = link.href;
    offer.lang = link.lang;
    offer.hreflang = link.lang;
    offer.textContent = link.getAttribute("data-suggest");
    offer.addEventListener("click", function () {
      storeLanguage(link.lang);
    });

    var dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.textContent = dismissText;
    dismiss.addEventListener("click", function () {
      storeLanguage(currentLanguage);
      banner.remove();
    });

    banner.appendChild(offer);
    banner.appendChild(dismiss);
    var skipLink = document.querySelector(".skip-link");
    skipLink.parentNode.insertBefore(banner, skipLink.nextSibling);
  }

  /* Remember a language the visitor picks; offer the preferred language once, never redirect. */
  function setUpLanguages() {
    var switcher = document.querySelector(".language-switch");
    if (!switcher) {
      return;
    }
    var links = Array.prototype.slice.call(switcher.querySelectorAll("a[hreflang]"));
    var currentLanguage = document.documentElement.lang;
    links.forEach(function (link) {
      link.addEventListener("click", function () {
        storeLanguage(link.lang);
      });
    });
    if (storedLanguage()) {
      return;
    }
    var preferred = preferredLanguage(
      links.map(function (link) {
        return link.lang;
      })
    );
    if (!preferred || preferred === currentLanguage) {
      return;
    }
    var target = links.filter(function (link) {
      return link.lang === preferred;
    })[0];
    suggestLanguage(target, switcher.getAttribute("data-dismiss"), currentLanguage);
  }

  /* While a fan is signed in (a session in this tab, see cognito.js), the sign-in link leads to the account. */
  function setUpAccountLink() {
    var link = document.querySelector("[data-account-link]");
    var session = null;
    try {
      session = window.sessionStorage.getItem(SESSION_KEY);
    } catch (error) {
      session = null; // storage disabled: nobody can be signed in
    }
    if (!link || !session) {
      return;
    }
    link.href = link.getAttribute("data-account-href");
    link.querySelector("span").textContent = link.getAttribute("data-account-label");
    if (window.location.pathname === link.getAttribute("data-account-href")) {
      link.setAttribute("aria-current", "page");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    setUpLanguages();
    setUpAccountLink();
  });
})();
