# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The JSON answer of the emulator's own routes (call log, mailbox, snapshots, chat endpoint)."""

import json


def json_response(start_response, status, document):
    """Answer `document` as JSON with `status` ("200 OK"); the WSGI body."""
    body = json.dumps(document).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
