/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   The account page's link to the admins' page (admin.html), shown only while the fan's ID token names the
   `admin` group (cognito:groups; read, not verified: the API checks every admin call itself).
   A classic script after cognito.js, deferred; it registers nothing. */
(function (root) {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var card = document.querySelector("[data-admin-link]");
    var creatorcloud = root.creatorcloud;
    if (!card) {
      return;
    }
    card.hidden = creatorcloud.cognito.groups().indexOf("admin") === -1;
  });
})(window);
