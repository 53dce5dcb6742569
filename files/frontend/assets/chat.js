/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The live page's chat, on the official IVS Chat client (window.IvsChatMessaging from chat-client.js) and
   the site's own session (cognito.js) and API (api.js): a signed-in fan gets chat tokens from
   POST /api/chat/token, sees the recent history (GET /api/chat/messages) and then every message of the
   room. Every text a fan wrote is put on the page with textContent, never as HTML, so a message holding
   markup or script is shown and never run. Moderators and admins (the ID token's cognito:groups) get
   Delete and Ban on each message; the room's DELETE_MESSAGE and DISCONNECT_USER events apply for everyone.
   The page's texts are the hidden list [data-chat-texts]: this script holds no text of any language.
   A classic script after cognito.js, api.js and chat-client.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  var HISTORY_LIMIT = 50;
  var MODERATOR_GROUPS = ["moderator", "admin"];
  // The IVS Chat Messaging API's error codes (ERROR frames), by the text that explains them to the fan.
  var SEND_ERRORS = { 400: "too_long", 403: "forbidden", 406: "refused", 429: "rate_limited" };
  // The client logs every frame at "debug" to the console; the page shows what the fan needs to know itself.
  var QUIET_LOGGER = {
    debug: function () {},
    info: function () {},
    error: function () {
      root.console.warn.apply(root.console, arguments);
    },
  };

  /* The chat panel: its elements, texts and the fan's state in the room. */
  function ChatPanel(panel, api) {
    this.api = api;
    this.panel = panel;
    this.log = panel.querySelector("[data-chat-log]");
    this.state = panel.querySelector("[data-chat-state]");
    this.form = panel.querySelector("[data-chat-form]");
    this.input = this.form.elements.message;
    this.error = panel.querySelector("[data-chat-error]");
    this.reconnect = panel.querySelector("[data-chat-reconnect]");
    this.texts = {};
    this.userId = null;
    this.moderator = false;
    this.banned = false;
    this.room = null;
    this.everConnected = false;
    Array.prototype.forEach.call(panel.querySelectorAll("[data-chat-texts] li[data-code]"), function (item) {
      this.texts[item.getAttribute("data-code")] = item.textContent;
    }, this);
  }

  ChatPanel.prototype.text = function (code) {
    return this.texts[code] || this.texts.generic || code;
  };

  ChatPanel.prototype.showState = function (code) {
    this.state.textContent = code ? this.text(code) : "";
  };

  /* A message at the input, tied to it with aria-describedby; empty clears it. */
  ChatPanel.prototype.showError = function (code) {
    this.error.textContent = code ? this.text(code) : "";
    if (code) {
      this.input.setAttribute("aria-invalid", "true");
    } else {
      this.input.removeAttribute("aria-invalid");
    }
  };

  /* Signed out: the offer to sign in, in place of the (empty) log and the input. */
  ChatPanel.prototype.showSignedOut = function () {
    this.panel.querySelector("[data-chat-signed-out]").hidden = false;
    this.log.hidden = true;
    this.form.hidden = true;
  };

  /* Banned: say so, and offer no input and no reconnect. */
  ChatPanel.prototype.showBanned = function () {
    this.banned = true;
    this.panel.querySelector("[data-chat-banned]").hidden = false;
    this.log.hidden = true;
    this.form.hidden = true;
    this.reconnect.hidden = true;
    this.showState(null);
    if (this.room && this.room.state !== "disconnected") {
      this.room.disconnect();
    }
  };

  // --- messages -----------------------------------------------------------------------------------------

  ChatPanel.prototype.findMessage = function (messageId) {
    return Array.prototype.filter.call(this.log.children, function (item) {
      return item.getAttribute("data-message-id") === messageId;
    })[0];
  };

  /* Append a message ({id, userId, displayName, content, sentAt}) once; all of the fan's text goes in as text. */
  ChatPanel.prototype.addMessage = function (message) {
    if (this.findMessage(message.id)) {
      return;
    }
    var stickToEnd = this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 48;
    var item = document.createElement("li");
    item.className = "chat-message" + (message.userId === this.userId ? " chat-message-own" : "");
    item.setAttribute("data-message-id", message.id);
    item.setAttribute("data-user-id", message.userId);
    item.appendChild(this.textElement("span", "chat-author", message.displayName || this.text("anonymous")));
    if (message.sentAt && !isNaN(message.sentAt.getTime())) {
      var clock = message.sentAt.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
      var time = this.textElement("time", "chat-time", clock);
      time.setAttribute("datetime", message.sentAt.toISOString());
      item.appendChild(time);
    }
    if (this.moderator && message.userId !== this.userId) {
      item.appendChild(this.moderationButtons(message));
    }
    item.appendChild(this.textElement("span", "chat-text", message.content));
    this.log.appendChild(item);
    if (stickToEnd) {
      this.log.scrollTop = this.log.scrollHeight;
    }
  };

  ChatPanel.prototype.textElement = function (tag, className, text) {
    var element = document.createElement(tag);
    element.className = className;
    element.textContent = text;
    return element;
  };

  /* Delete and Ban, each naming the author for screen readers ("Delete" alone would not say which). */
  ChatPanel.prototype.moderationButtons = function (message) {
    var panel = this;
    var group = document.createElement("span");
    group.className = "chat-moderation";
    [
      ["delete", function () {
        return panel.api.request("DELETE", "chat/messages/" + encodeURIComponent(message.id));
      }],
      ["ban", function () {
        return panel.api.request("PUT", "chat/bans/" + encodeURIComponent(message.userId), {});
      }],
    ].forEach(function (action) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-chat-action", action[0]);
      button.appendChild(document.createTextNode(panel.text(action[0])));
      var who = panel.textElement("span", "visually-hidden", " " + (message.displayName || panel.text("anonymous")));
      button.appendChild(who);
      button.addEventListener("click", function () {
        button.disabled = true;
        action[1]()
          .then(function () {
            panel.showState(action[0] === "delete" ? "deleted" : "user_banned");
          })
          .catch(function () {
            panel.showState("moderation_failed");
          })
          .then(function () {
            button.disabled = false;
          });
      });
      group.appendChild(button);
    });
    return group;
  };

  ChatPanel.prototype.removeMessage = function (messageId) {
    var item = this.findMessage(messageId);
    if (item) {
      item.remove();
    }
  };

  /* The recent history, oldest first; messages that arrived meanwhile stay where they are. */
  ChatPanel.prototype.loadHistory = function () {
    var panel = this;
    return panel.api
      .request("GET", "chat/messages?limit=" + HISTORY_LIMIT)
      .then(function (answer) {
        var messages = (answer && answer.messages) || [];
        var first = panel.log.firstChild;
        messages
          .filter(function (message) {
            return !message.deleted && !panel.findMessage(message.message_id);
          })
          .reverse()
          .forEach(function (message) {
            panel.addMessage({
              id: message.message_id,
              userId: message.user_id,
              displayName: message.display_name,
              content: message.message,
              sentAt: new Date(message.sent_at),
            });
            if (first) {
              panel.log.insertBefore(panel.log.lastChild, first);
            }
          });
        panel.log.scrollTop = panel.log.scrollHeight;
      })
      .catch(function () {
        panel.showState("history_failed");
      });
  };

  // --- the room -----------------------------------------------------------------------------------------

  /* A chat token from the creator's API, shaped as the client library wants it (Date objects). */
  ChatPanel.prototype.fetchToken = function () {
    var panel = this;
    return panel.api.request("POST", "chat/token").then(
      function (answer) {
        return {
          token: answer.token,
          sessionExpirationTime: new Date(answer.sessionExpirationTime),
          tokenExpirationTime: new Date(answer.tokenExpirationTime),
        };
      },
      function (error) {
        if (error.code === "banned") {
          panel.showBanned();
        }
        throw error;
      }
    );
  };

  ChatPanel.prototype.connect = function (endpoint, firstToken) {
    var panel = this;
    var chat = root.IvsChatMessaging;
    var pending = firstToken;
    panel.room = new chat.ChatRoom({
      regionOrUrl: endpoint,
      // The first token was fetched to learn of a ban before connecting; later ones are fetched when needed.
      tokenProvider: function () {
        var token = pending ? Promise.resolve(pending) : panel.fetchToken();
        pending = null;
        return token;
      },
    });
    panel.room.logger = QUIET_LOGGER;
    panel.room.logLevel = "error";
    panel.room.addListener("connecting", function () {
      panel.reconnect.hidden = true;
      panel.showState(panel.everConnected ? "reconnecting" : "connecting");
    });
    panel.room.addListener("connect", function () {
      panel.everConnected = true;
      panel.showState("connected");
      panel.form.hidden = false;
      panel.loadHistory();
    });
    panel.room.addListener("disconnect", function (reason) {
      panel.form.hidden = true;
      if (panel.banned) {
        return;
      }
      panel.showState(reason === "fetchTokenError" ? "token_failed" : "disconnected");
      panel.reconnect.hidden = false;
    });
    panel.room.addListener("message", function (message) {
      var attributes = message.sender.attributes || {};
      panel.addMessage({
        id: message.id,
        userId: message.sender.userId,
        displayName: attributes.displayName,
        content: message.content,
        sentAt: message.sendTime,
      });
    });
    panel.room.addListener("messageDelete", function (event) {
      panel.removeMessage(event.messageId);
    });
    panel.room.addListener("userDisconnect", function (event) {
      if (event.userId === panel.userId) {
        panel.showBanned();
      }
    });
    panel.room.connect();
  };

  ChatPanel.prototype.send = function () {
    var panel = this;
    var content = panel.input.value.trim();
    panel.showError(null);
    if (!content) {
      panel.showError("empty");
      panel.input.focus();
      return;
    }
    var sending;
    try {
      sending = panel.room.sendMessage(new root.IvsChatMessaging.SendMessageRequest(content));
    } catch (error) {
      panel.showError("send_failed"); // not connected: the state line says why
      return;
    }
    panel.input.value = "";
    panel.input.focus(); // the next message goes where the fan is, also after a click on Send
    sending.catch(function (error) {
      // Refused (review, rate, length): give the text back so the fan can change it.
      if (!panel.input.value) {
        panel.input.value = content;
      }
      panel.showError(SEND_ERRORS[error && error.errorCode] || "send_failed");
    });
  };

  ChatPanel.prototype.start = function (endpoint, token) {
    var panel = this;
    var claims = root.creatorcloud.cognito.claims(token); // read, not verified: the API verifies it on every call
    var groups = claims["cognito:groups"] || [];
    panel.userId = claims.sub;
    panel.moderator = MODERATOR_GROUPS.some(function (group) {
      return groups.indexOf(group) !== -1;
    });
    panel.form.addEventListener("submit", function (event) {
      event.preventDefault();
      panel.send();
    });
    panel.reconnect.querySelector("button").addEventListener("click", function () {
      if (panel.room.state === "disconnected") {
        panel.room.connect();
      }
    });
    panel.showState("connecting");
    return panel.fetchToken().then(
      function (firstToken) {
        panel.connect(endpoint, firstToken);
      },
      function (error) {
        if (error.code === "unauthorized") {
          panel.showSignedOut();
        } else if (!panel.banned) {
          panel.showState("unavailable");
        }
      }
    );
  };

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.querySelector("[data-chat]");
    var creatorcloud = root.creatorcloud;
    if (!element || !element.querySelector("[data-chat-form]")) {
      return;
    }
    var panel = new ChatPanel(element, creatorcloud.api);
    if (!creatorcloud.cognito.signedIn()) {
      panel.showSignedOut();
      return;
    }
    Promise.all([creatorcloud.config(), creatorcloud.cognito.idToken()])
      .then(function (values) {
        var endpoint = values[0].chat && values[0].chat.endpoint;
        if (!values[1]) {
          panel.showSignedOut();
        } else if (!endpoint || !root.IvsChatMessaging) {
          panel.showState("unavailable");
        } else {
          panel.start(endpoint, values[1]);
        }
      })
      .catch(function () {
        panel.showSignedOut(); // the session could not be refreshed: it has ended
      });
  });
})(window);
