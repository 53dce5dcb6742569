/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The fans' account pages: sign-up, confirmation, sign-in and the account itself. Each page's form
   says what it is (data-account-form) and where to go next (data-next); the texts come from the
   page's hidden message list (data-messages), so this script holds no text of any language.
   Errors: the field's own message (aria-describedby), aria-invalid, and focus on the first wrong
   field; an error of Cognito or the API goes to the form's alert and gets the focus.
   A classic script after srp.js, cognito.js, api.js and page.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var PASSWORD_RULES = [
    // The user pool's policy (roles/auth): checked here first so a fan learns what is missing at once.
    ["password_length", /^[\s\S]{12,}$/],
    ["password_lower", /[a-z]/],
    ["password_upper", /[A-Z]/],
    ["password_digit", /[0-9]/],
    ["password_symbol", /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/],
  ];
  var EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  var USERNAME_PATTERN = /^[a-z0-9_]{3,20}$/;
  var helpers = root.creatorcloud.page;
  var query = helpers.query;
  var message = null; // the page's text for an error or status code, or the generic error (helpers.texts)
  var statusLine = null;

  /* `target` with `?key=value&…`, the values encoded. */
  function withQuery(target, values) {
    var search = new URLSearchParams();
    Object.keys(values).forEach(function (key) {
      if (values[key]) {
        search.set(key, values[key]);
      }
    });
    var text = search.toString();
    return text ? target + "?" + text : target;
  }

  /* The address a link carried (?email=…) goes into an empty field only: the handlers are attached after
     Cognito's configuration has loaded, and by then a fan may already have typed an address. */
  function prefill(field, text) {
    if (text && !field.value) {
      field.value = text;
    }
  }

  function showStatus(code) {
    statusLine(code && "status." + code);
  }

  // --- form errors -------------------------------------------------------------------------------------

  var clearErrors = helpers.clearErrors;
  var showFieldErrors = helpers.showFieldErrors;

  /* The form's alert with a text (and an optional link), focused so a screen reader reads it at once. */
  function showFormError(container, text, link) {
    helpers.showAlert(container.querySelector("[data-form-error]"), text, link);
  }

  /* Run `action` with the form's buttons disabled and "one moment" announced; errors go to the alert. */
  function busy(container, action, onError) {
    showStatus("working");
    return helpers.whileDisabled(container.querySelectorAll("button"), action, function (error) {
      showStatus(null);
      (onError || defaultError)(container, error);
    });
  }

  function defaultError(container, error) {
    showFormError(container, message(error && error.code));
  }

  // --- checks before any call ------------------------------------------------------------------------

  function emailError(value) {
    return EMAIL_PATTERN.test(value) ? null : message("email_invalid");
  }

  /* What the password lacks by the pool's rules, as one sentence, or null. */
  function passwordError(value) {
    var missing = PASSWORD_RULES.filter(function (rule) {
      return !rule[1].test(value);
    }).map(function (rule) {
      return message(rule[0]);
    });
    return missing.length ? message("password_weak") + " " + missing.join(", ") + "." : null;
  }

  function fieldErrors(checks) {
    var errors = {};
    Object.keys(checks).forEach(function (name) {
      if (checks[name]) {
        errors[name] = checks[name];
      }
    });
    return errors;
  }

  function value(form, name) {
    return form.elements[name].value.trim();
  }

  // --- pages ---------------------------------------------------------------------------------------

  function setUpSignup(form, cognito) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var email = value(form, "email");
      var password = form.elements.password.value;
      if (showFieldErrors(form, fieldErrors({ email: emailError(email), password: passwordError(password) }))) {
        return;
      }
      busy(form, function () {
        return cognito.signUp(email, password).then(function () {
          root.location.assign(withQuery(form.getAttribute("data-next"), { email: email, status: "code_sent" }));
        });
      });
    });
  }

  function setUpConfirm(form, cognito) {
    prefill(form.elements.email, query("email"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var email = value(form, "email");
      var code = value(form, "code");
      var errors = fieldErrors({ email: emailError(email), code: code ? null : message("code_invalid") });
      if (showFieldErrors(form, errors)) {
        return;
      }
      busy(form, function () {
        return cognito.confirmSignUp(email, code).then(function () {
          root.location.assign(withQuery(form.getAttribute("data-next"), { email: email, status: "confirmed" }));
        });
      });
    });
    form.querySelector('[data-action="resend"]').addEventListener("click", function () {
      clearErrors(form);
      var email = value(form, "email");
      if (showFieldErrors(form, fieldErrors({ email: emailError(email) }))) {
        return;
      }
      busy(form, function () {
        return cognito.resendConfirmationCode(email).then(function () {
          showStatus("code_resent");
        });
      });
    });
  }

  function setUpLogin(form, cognito) {
    prefill(form.elements.email, query("email"));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var email = value(form, "email");
      var password = form.elements.password.value;
      var errors = fieldErrors({ email: emailError(email), password: password ? null : message("password_missing") });
      if (showFieldErrors(form, errors)) {
        return;
      }
      busy(
        form,
        function () {
          return cognito.signIn(email, password).then(function () {
            root.location.assign(form.getAttribute("data-next"));
          });
        },
        function (container, error) {
          // Not confirmed yet: offer the confirmation page, where a new code can be requested.
          var link = error.code === "UserNotConfirmedException" && {
            href: withQuery(form.getAttribute("data-confirm"), { email: email }),
            label: form.getAttribute("data-confirm-label"),
          };
          showFormError(container, message(error.code), link);
        }
      );
    });
  }

  function showProfile(panel, profile) {
    panel.querySelector("[data-profile-email]").textContent = profile.email || "";
    var form = panel.querySelector('[data-account-form="profile"]');
    form.elements.display_name.value = profile.display_name || "";
    form.elements.username.value = profile.username || "";
  }

  /* Offer `data` as a JSON file to save, without a request: a Blob behind a temporary link. */
  function saveJson(data, fileName) {
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () {
      URL.revokeObjectURL(link.href);
    }, 1000);
  }

  function setUpAccount(cognito, api) {
    var signedIn = document.querySelector("[data-signed-in]");
    var signedOut = document.querySelector("[data-signed-out]");
    var form = signedIn.querySelector('[data-account-form="profile"]');

    function showSignedOut() {
      cognito.clearSession();
      signedIn.hidden = true;
      signedOut.hidden = false;
    }

    /* A rejected session (expired, revoked, account gone) shows the sign-in offer; the rest the alert. */
    function onError(container, error) {
      if (error.status === 401) {
        showSignedOut();
        showStatus(null);
        document.querySelector("[data-status]").textContent = message("unauthorized");
        return;
      }
      defaultError(container, error);
    }

    if (!cognito.signedIn()) {
      showSignedOut();
      return;
    }
    api
      .profile()
      .then(function (profile) {
        showProfile(signedIn, profile);
        signedIn.hidden = false;
      })
      .catch(function (error) {
        // A session that ended (401) or an API that cannot answer: say so above the sign-in offer.
        showSignedOut();
        document.querySelector("[data-status]").textContent = message(error.code);
      });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearErrors(form);
      var displayName = value(form, "display_name");
      var username = value(form, "username");
      var errors = fieldErrors({
        display_name: displayName && displayName.length <= 50 ? null : message("display_name_invalid"),
        username: USERNAME_PATTERN.test(username) ? null : message("username_invalid"),
      });
      if (showFieldErrors(form, errors)) {
        return;
      }
      busy(
        form,
        function () {
          return api.updateProfile({ display_name: displayName, username: username }).then(function (profile) {
            showProfile(signedIn, profile);
            showStatus("saved");
          });
        },
        function (container, error) {
          if (error.code === "username_taken") {
            showFieldErrors(form, { username: message("username_taken") });
            showStatus(null);
            return;
          }
          onError(container, error);
        }
      );
    });

    var exportButton = signedIn.querySelector('[data-action="export"]');
    exportButton.addEventListener("click", function () {
      var section = exportButton.parentNode;
      busy(
        section,
        function () {
          return api.exportData().then(function (data) {
            saveJson(data, exportButton.getAttribute("data-file-name"));
            showStatus("exported");
          });
        },
        onError
      );
    });

    var signOutButton = signedIn.querySelector('[data-action="sign-out"]');
    signOutButton.addEventListener("click", function () {
      signOutButton.disabled = true;
      cognito.signOut().then(function () {
        root.location.assign(withQuery(signOutButton.getAttribute("data-next"), { status: "signed_out" }));
      });
    });

    setUpDeletion(signedIn, cognito, api, onError);
  }

  /* Deleting takes two steps: the button opens the question, and only its confirm button deletes. */
  function setUpDeletion(panel, cognito, api, onError) {
    var start = panel.querySelector('[data-action="delete-start"]');
    var confirmation = panel.querySelector("[data-delete-confirmation]");
    var confirmButton = confirmation.querySelector('[data-action="delete-confirm"]');

    function setOpen(open) {
      confirmation.hidden = !open;
      start.setAttribute("aria-expanded", open ? "true" : "false");
      (open ? confirmButton : start).focus();
    }

    start.addEventListener("click", function () {
      setOpen(true);
    });
    confirmation.querySelector('[data-action="delete-cancel"]').addEventListener("click", function () {
      setOpen(false);
    });
    confirmButton.addEventListener("click", function () {
      clearErrors(confirmation);
      busy(
        confirmation,
        function () {
          return api.deleteAccount().then(function () {
            cognito.clearSession(); // the pool's user is gone, and with it every token
            root.location.assign(confirmButton.getAttribute("data-next"));
          });
        },
        onError
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var creatorcloud = root.creatorcloud;
    message = helpers.texts("[data-messages]");
    statusLine = helpers.statusLine(document.querySelector("[data-status]"), message);
    // A page reached after a step (?status=confirmed) says how that step went; an unknown status says nothing.
    if (message.has("status." + query("status"))) {
      showStatus(query("status"));
    }
    creatorcloud.cognito.available().then(function (available) {
      var unavailable = document.querySelector("[data-unavailable]");
      if (!available) {
        unavailable.hidden = false;
        Array.prototype.forEach.call(document.querySelectorAll(".account-form button"), function (button) {
          button.disabled = true;
        });
        return;
      }
      var form = document.querySelector("[data-account-form]");
      var kind = form && form.getAttribute("data-account-form");
      if (kind === "signup") {
        setUpSignup(form, creatorcloud.cognito);
      } else if (kind === "confirm") {
        setUpConfirm(form, creatorcloud.cognito);
      } else if (kind === "login") {
        setUpLogin(form, creatorcloud.cognito);
      } else if (kind === "profile") {
        setUpAccount(creatorcloud.cognito, creatorcloud.api);
      }
      // The buttons come disabled: a form submitted before its handler is attached would be posted to the
      // static page (403 from CloudFront), so they work only from now on.
      Array.prototype.forEach.call(document.querySelectorAll("[data-until-ready]"), function (button) {
        button.disabled = false;
      });
    });
  });
})(window);
