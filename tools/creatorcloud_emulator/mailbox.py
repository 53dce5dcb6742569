# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's local mailbox: the mails Cognito would have sent (codes, invitations).

Nothing leaves the machine. A mail is kept by the Cognito backend of the account and region
that sent it, so moto's reset (`/moto-api/reset`) empties the mailbox with everything else.
`GET /_creatorcloud/mail?to=<address>` returns the mails, newest last, and
`DELETE /_creatorcloud/mail` clears them; `python -m creatorcloud_emulator mail [--to ADDRESS]`
prints the latest ones, for a person who signs up on the local site and needs the code.
"""

import itertools
import json
import threading
import urllib.parse
import urllib.request
from datetime import UTC
from datetime import datetime

from creatorcloud_emulator.json_answer import json_response

MAIL_PATH = "/_creatorcloud/mail"
_BACKEND_ATTRIBUTE = "creatorcloud_mailbox"
_LOCK = threading.Lock()
# Orders mails across accounts and regions; the sent_at of two mails may be equal.
_SEQUENCE = itertools.count()


def deliver(backend, **mail):
    """Keep a mail sent by a Cognito `backend`, stamped with its account, region and time; return it."""
    mail.update(account_id=backend.account_id, region=backend.region_name, sent_at=_now())
    with _LOCK:
        backend.__dict__.setdefault(_BACKEND_ATTRIBUTE, []).append((next(_SEQUENCE), mail))
    return mail


def _now():
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _cognito_backends():
    from moto.cognitoidp.models import cognitoidp_backends

    return [backend for by_region in list(cognitoidp_backends.values()) for backend in list(by_region.values())]


def mail(to=None):
    """Every mail kept (only those to `to`, when given, ignoring case), newest last."""
    with _LOCK:
        kept = [entry for backend in _cognito_backends() for entry in backend.__dict__.get(_BACKEND_ATTRIBUTE, ())]
    in_order = [entry[1] for entry in sorted(kept, key=lambda entry: entry[0])]
    return [item for item in in_order if not to or item["to"].lower() == to.lower()]


def clear():
    """Forget every mail."""
    with _LOCK:
        for backend in _cognito_backends():
            backend.__dict__.pop(_BACKEND_ATTRIBUTE, None)


class MailboxRoute:
    """WSGI middleware that answers MAIL_PATH and passes every other request on to `app`."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "") != MAIL_PATH:
            return self.app(environ, start_response)
        method = environ["REQUEST_METHOD"]
        if method == "DELETE":
            clear()
        elif method != "GET":
            return json_response(start_response, "405 Method Not Allowed", {"message": "GET or DELETE"})
        to = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("to", [None])[0]
        return json_response(start_response, "200 OK", mail(to))


def fetch_mail(endpoint_url, to=None, timeout=10):
    """The mails of the emulator at `endpoint_url` (only those to `to`, when given), newest last."""
    query = f"?{urllib.parse.urlencode({'to': to})}" if to else ""
    with urllib.request.urlopen(f"{endpoint_url}{MAIL_PATH}{query}", timeout=timeout) as response:
        return json.loads(response.read())


def describe_mail(mails, latest=10):
    """The `latest` mails as text for a person: who, what, and the code to type."""
    if not mails:
        return "no mail yet"
    blocks = []
    for item in mails[-latest:]:
        code_label = "temporary password" if item["kind"] == "invitation" else "code"
        blocks.append(
            f"{item['sent_at']}  to {item['to']}  ({item['kind']}, pool {item['pool_id']}, "
            f"account {item['account_id']})\n  {item['subject']}\n  {item['body']}\n  {code_label}: {item['code']}"
        )
    return "\n\n".join(blocks)
