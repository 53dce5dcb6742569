/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The creator's HTTP API at config.api_url, called with the fan's Cognito ID token. Every error is
   an ApiError with the API's `code` (files/backend/README.md, "Errors"), which the pages turn into
   their own texts; API Gateway's own answers ({"message": "Unauthorized"}) get a code here. The
   public routes (publicGet) are called without a session.
   A classic script after cognito.js: it registers window.creatorcloud.api. */
(function (root) {
  "use strict";

  /* An error answer of the API: the HTTP status, the API's error code, and the whole answer as `details` (some
     errors say more, e.g. when and by whom a ticket was checked in). */
  function ApiError(status, code, message, details) {
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.message = message || code;
    this.details = details || null;
  }
  ApiError.prototype = Object.create(Error.prototype);
  ApiError.prototype.constructor = ApiError;

  // API Gateway's own errors carry only a message; name them by status like the handlers would.
  var CODES_BY_STATUS = { 401: "unauthorized", 403: "forbidden", 404: "route_not_found", 429: "too_many_requests" };

  function parse(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (error) {
      return null;
    }
  }

  /* The API's address from config.json, or an ApiError "unavailable" when the site has none. */
  function baseUrl(config) {
    if (!config.api_url) {
      throw new ApiError(0, "unavailable", "this site has no API configured");
    }
    return config.api_url.replace(/\/+$/, "");
  }

  /* One call of the API; resolves to the parsed answer, rejects with an ApiError. */
  function send(base, method, path, headers, body) {
    return fetch(base + "/api/" + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    })
      .catch(function () {
        throw new ApiError(0, "network_error", "the API cannot be reached");
      })
      .then(function (response) {
        return response.text().then(function (text) {
          var answer = parse(text);
          if (!response.ok) {
            var code = (answer && answer.code) || CODES_BY_STATUS[response.status] || "internal_error";
            throw new ApiError(response.status, code, answer && answer.message, answer);
          }
          return answer;
        });
      });
  }

  /* `method` `/api/<path>` with the fan's ID token and a JSON body (or none); resolves to the parsed answer. */
  function request(method, path, body) {
    var cognito = root.creatorcloud.cognito;
    var token = cognito.idToken().catch(function (error) {
      // A refresh token Cognito refuses (revoked by a sign-out elsewhere, expired) ends the session.
      if (error.code === "NotAuthorizedException") {
        throw new ApiError(401, "unauthorized", error.message);
      }
      throw error;
    });
    return Promise.all([root.creatorcloud.config(), token]).then(function (values) {
      var base = baseUrl(values[0]);
      var token = values[1];
      if (!token) {
        throw new ApiError(401, "unauthorized", "not signed in");
      }
      var headers = { Authorization: "Bearer " + token };
      if (body !== undefined) {
        headers["Content-Type"] = "application/json";
      }
      return send(base, method, path, headers, body);
    });
  }

  /* GET `/api/<path>` without a session: the public routes (the shop's products, the tiers, the donation wall). */
  function publicGet(path) {
    return root.creatorcloud.config().then(function (config) {
      return send(baseUrl(config), "GET", path, {});
    });
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.api = {
    ApiError: ApiError,
    request: request,
    publicGet: publicGet,
    profile: function () {
      return request("GET", "me");
    },
    updateProfile: function (profile) {
      return request("PUT", "me", profile);
    },
    exportData: function () {
      return request("GET", "me/export");
    },
    deleteAccount: function () {
      return request("DELETE", "me");
    },
  };
})(window);
