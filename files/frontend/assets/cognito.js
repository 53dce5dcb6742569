/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The fan's session with the creator's Cognito user pool, through Cognito's public JSON API (no
   SDK): sign-up, confirmation, SRP sign-in, token refresh and global sign-out. The pool and app
   client come from /config.json (`auth`). Tokens live in sessionStorage, not localStorage: they
   end with the tab, so a token stolen through a script injection is worth less and for a shorter
   time, at the price of signing in again in a new tab (files/frontend/README.md, "Sessions").
   A classic script after srp.js: it registers window.creatorcloud.cognito and .config. */
(function (root) {
  "use strict";

  var SESSION_KEY = "creatorcloud-session"; // site.js reads it too, for the header's account link
  var TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
  var REFRESH_MARGIN_SECONDS = 300; // refresh an ID token that expires within five minutes
  var configPromise = null;

  /* An error of Cognito's API; `code` is the exception's name, like "NotAuthorizedException". */
  function CognitoError(code, message) {
    this.name = "CognitoError";
    this.code = code;
    this.message = message || code;
  }
  CognitoError.prototype = Object.create(Error.prototype);
  CognitoError.prototype.constructor = CognitoError;

  /* /config.json, fetched once per page; {} when the site has no runtime settings. */
  function loadConfig() {
    if (!configPromise) {
      configPromise = fetch("/config.json", { cache: "no-cache", credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : {};
        })
        .catch(function () {
          return {};
        });
    }
    return configPromise;
  }

  /* The auth settings, or a CognitoError "unavailable" when the site has none. */
  function authConfig() {
    return loadConfig().then(function (config) {
      var auth = config.auth;
      if (!auth || !auth.endpoint || !auth.client_id || !auth.user_pool_id) {
        throw new CognitoError("unavailable", "this site has no sign-in configured");
      }
      return auth;
    });
  }

  /* The exception name of an error answer: "__type" may carry a namespace ("...#NotAuthorizedException"). */
  function errorCode(response, body) {
    var type = (body && body.__type) || response.headers.get("x-amzn-ErrorType") || "UnknownError";
    return type.split("#").pop().split(":")[0];
  }

  /* One call of Cognito's JSON API. */
  function call(operation, payload) {
    return authConfig().then(function (auth) {
      return fetch(auth.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": TARGET_PREFIX + operation,
        },
        body: JSON.stringify(payload),
        credentials: "omit",
      })
        .catch(function () {
          throw new CognitoError("network_error", "Cognito cannot be reached");
        })
        .then(function (response) {
          return response.text().then(function (text) {
            var body = {};
            try {
              body = text ? JSON.parse(text) : {};
            } catch (error) {
              body = {};
            }
            if (!response.ok) {
              throw new CognitoError(errorCode(response, body), body.message || body.Message);
            }
            return body;
          });
        });
    });
  }

  function withClient(payload) {
    return authConfig().then(function (auth) {
      return Object.assign({ ClientId: auth.client_id }, payload);
    });
  }

  function signUp(email, password) {
    return withClient({
      Username: email,
      Password: password,
      UserAttributes: [{ Name: "email", Value: email }],
    }).then(function (payload) {
      return call("SignUp", payload);
    });
  }

  function confirmSignUp(email, code) {
    return withClient({ Username: email, ConfirmationCode: code }).then(function (payload) {
      return call("ConfirmSignUp", payload);
    });
  }

  function resendConfirmationCode(email) {
    return withClient({ Username: email }).then(function (payload) {
      return call("ResendConfirmationCode", payload);
    });
  }

  /* The claims of a JWT (not verified: the API verifies the token on every call; the site reads the expiry, and
     the pages the user id and the groups, which only choose what a page offers). */
  function claims(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      var json = decodeURIComponent(
        Array.prototype.map
          .call(atob(part + "===".slice((part.length + 3) % 4)), function (character) {
            return "%" + ("0" + character.charCodeAt(0).toString(16)).slice(-2);
          })
          .join("")
      );
      return JSON.parse(json);
    } catch (error) {
      return {};
    }
  }

  function readSession() {
    try {
      return JSON.parse(root.sessionStorage.getItem(SESSION_KEY) || "null");
    } catch (error) {
      return null;
    }
  }

  /* The groups of the tab's ID token (cognito:groups), [] when signed out. Read from the stored session as it is,
     without refreshing it: the groups only choose what the page offers, the API decides. */
  function groups() {
    var session = readSession();
    var names = session && session.id_token ? claims(session.id_token)["cognito:groups"] : null;
    return Array.isArray(names) ? names.slice() : [];
  }

  function storeSession(result, previous) {
    var session = {
      id_token: result.IdToken,
      access_token: result.AccessToken,
      // REFRESH_TOKEN_AUTH answers without a new refresh token: keep the one we have.
      refresh_token: result.RefreshToken || (previous && previous.refresh_token),
      expires_at: claims(result.IdToken).exp || Math.floor(Date.now() / 1000) + (result.ExpiresIn || 3600),
    };
    root.sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    return session;
  }

  function clearSession() {
    try {
      root.sessionStorage.removeItem(SESSION_KEY);
    } catch (error) {
      /* storage disabled: there is nothing to clear */
    }
  }

  /* Sign in with SRP: the password proves itself without being sent. Resolves to the session. */
  function signIn(email, password) {
    var srp = root.creatorcloud.srp;
    var smallA = srp.randomSmallA();
    return authConfig().then(function (auth) {
      return call("InitiateAuth", {
        AuthFlow: "USER_SRP_AUTH",
        ClientId: auth.client_id,
        AuthParameters: { USERNAME: email, SRP_A: srp.largeA(smallA).toString(16) },
      })
        .then(function (started) {
          if (started.ChallengeName !== "PASSWORD_VERIFIER") {
            throw new CognitoError("UnsupportedChallenge", "Cognito asked for " + started.ChallengeName);
          }
          return srp
            .passwordVerifierResponses({
              smallA: smallA,
              userPoolId: auth.user_pool_id,
              password: password,
              challenge: started.ChallengeParameters,
            })
            .then(function (responses) {
              return call("RespondToAuthChallenge", {
                ChallengeName: "PASSWORD_VERIFIER",
                ClientId: auth.client_id,
                ChallengeResponses: responses,
                Session: started.Session,
              });
            });
        })
        .then(function (answer) {
          if (!answer.AuthenticationResult) {
            throw new CognitoError("UnsupportedChallenge", "Cognito asked for " + answer.ChallengeName);
          }
          return storeSession(answer.AuthenticationResult, null);
        });
    });
  }

  /* A fresh session from the refresh token; signed out when Cognito refuses it. */
  function refresh(session) {
    return withClient({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: session.refresh_token } })
      .then(function (payload) {
        return call("InitiateAuth", payload);
      })
      .then(function (answer) {
        return storeSession(answer.AuthenticationResult, session);
      })
      .catch(function (error) {
        if (error.code === "NotAuthorizedException") {
          clearSession();
        }
        throw error;
      });
  }

  /* The ID token for the API, refreshed when it is about to expire; null when signed out. */
  function idToken() {
    var session = readSession();
    if (!session || !session.id_token) {
      return Promise.resolve(null);
    }
    if (session.expires_at - Date.now() / 1000 > REFRESH_MARGIN_SECONDS || !session.refresh_token) {
      return Promise.resolve(session.id_token);
    }
    return refresh(session).then(function (fresh) {
      return fresh.id_token;
    });
  }

  /* Sign out everywhere (every refresh token of the fan), and drop this tab's tokens whatever happens. */
  function signOut() {
    var session = readSession();
    if (!session || !session.access_token) {
      clearSession();
      return Promise.resolve();
    }
    return call("GlobalSignOut", { AccessToken: session.access_token })
      .catch(function () {
        /* an expired or revoked token is signed out already; the local session goes anyway */
      })
      .then(clearSession);
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.config = loadConfig;
  root.creatorcloud.cognito = {
    CognitoError: CognitoError,
    available: function () {
      return authConfig().then(
        function () {
          return true;
        },
        function () {
          return false;
        }
      );
    },
    signUp: signUp,
    confirmSignUp: confirmSignUp,
    resendConfirmationCode: resendConfirmationCode,
    signIn: signIn,
    signOut: signOut,
    idToken: idToken,
    signedIn: function () {
      return Boolean(readSession());
    },
    clearSession: clearSession,
    claims: claims,
    groups: groups,
  };
})(window);
