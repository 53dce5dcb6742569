#!/usr/bin/python
# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: events
short_description: Ensure a creator's events and ticket signing key, for tickets sold on the creator's site
version_added: 0.1.0
description:
  - Ensures, inside the creator's member account (by assuming O(role_name) there) and in the module's region, the
    Secrets Manager secret C(creatorcloud/<creator>/tickets), encrypted with O(kms_key_arn) and tagged
    C(creatorcloud:creator=<creator>) and C(creatorcloud:component=events), holding the key that signs every
    ticket's door code (JSON C({"signing_key"}), 32 random bytes in base64). The key is made once and never
    replaced (a new key would void every ticket sold); the run never reads its value, returns or logs it.
  - Ensures each event of O(events) as a row of the Events table O(events_table), keyed by its O(events[].id).
    Only the fields that differ are written. The ticket counters (C(ticketsAvailable), C(ticketsHeld),
    C(ticketsSold)) belong to the C(events) function; a new event starts with all its tickets available, and a
    new capacity moves C(ticketsAvailable) by the difference, on the condition that those tickets are still free.
  - Events in the table that are not in O(events) are left alone (they hold sales); the module never deletes one.
  - Every event is validated before any call (dates and times, time zone, price, capacity); a capacity below the
    tickets already sold or held, or cancelling an event with tickets sold, fails before any write.
author:
  - CreatorCloud engineering (@creatorcloud)
options:
  creator:
    description:
      - The creator's slug, the inventory host name. It names the secret.
    type: str
    required: true
  kms_key_arn:
    description:
      - ARN of the creator's customer managed KMS key (module creator_key), in the module's region. It encrypts the
        secret.
    type: str
    required: true
  events_table:
    description:
      - The name of the creator's Events table (module tables, logical name C(Events)).
    type: str
    required: true
  currency:
    description:
      - The currency of every ticket price, as a lower-case ISO 4217 code.
    type: str
    default: eur
  events:
    description:
      - The creator's events; times are local to the event's O(events[].time_zone).
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description: The event's id in the site's addresses, 1 to 63 lower-case letters, digits and hyphens.
        type: str
        required: true
      title:
        description: The event's title as fans see it, at most 100 characters.
        type: str
        required: true
      description:
        description: What fans read about the event, at most 2000 characters.
        type: str
        default: ""
      start:
        description: When the event starts, C(YYYY-MM-DDTHH:MM) in its time zone.
        type: str
        required: true
      end:
        description: When the event ends, C(YYYY-MM-DDTHH:MM) in its time zone, after O(events[].start).
        type: str
        required: true
      doors:
        description: When the doors open, C(YYYY-MM-DDTHH:MM), not after O(events[].start); defaults to the start.
        type: str
      time_zone:
        description: The IANA time zone of the event's times, like C(Europe/Berlin).
        type: str
        required: true
      location:
        description: The venue, or C(online) for a show streamed on the creator's channel.
        type: str
        required: true
      price:
        description: The price of one ticket in cents of O(currency); 0 for a free event (an RSVP, no payment).
        type: int
        required: true
      capacity:
        description: How many tickets the event has, at least 1.
        type: int
        required: true
      status:
        description:
          - C(draft) hides the event, C(on_sale) sells its tickets, C(cancelled) shows it cancelled.
          - Fans also see C(sold_out) and C(past), which the function derives from the counters and the end.
        type: str
        default: on_sale
        choices: [draft, on_sale, cancelled]
extends_documentation_fragment:
  - creatorcloud.platform.tags
  - creatorcloud.platform.in_worker
  - creatorcloud.platform.converge
  - creatorcloud.platform.creator_session
  - creatorcloud.platform.creator_role
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
notes:
  - In check mode a new secret is returned with a null ARN.
  - Cancelling an event with tickets sold needs their refunds first (in the creator's Stripe dashboard; the webhook
    marks them refunded); refunding from the module is not built yet.
"""

EXAMPLES = r"""
- name: Ensure creator1's events
  creatorcloud.platform.events:
    account_id: "123456789012"
    creator: creator1
    region: eu-central-1
    kms_key_arn: "{{ account_kms_key_arn }}"
    events_table: "{{ tables_names.Events }}"
    events:
      - id: release-show
        title: Album release show
        start: "2027-03-12T20:00"
        end: "2027-03-12T23:00"
        doors: "2027-03-12T19:00"
        time_zone: Europe/Berlin
        location: Columbiahalle, Berlin
        price: 2500
        capacity: 300
  register: events_result
"""

RETURN = r"""
events:
  description: The slice after the run (the secret's ARN predicted as null in check mode for a new secret).
  returned: always
  type: dict
  contains:
    ticket_key_secret_arn:
      description: The ARN of the secret holding the ticket signing key.
      type: str
      sample: arn:aws:secretsmanager:eu-central-1:123456789012:secret:creatorcloud/creator1/tickets-AbCdEf
    event_ids:
      description: The ids of the declared events.
      type: list
      elements: str
      sample: [release-show]
changes:
  description: What the run changed (or would change in check mode), in the order it was done.
  returned: always
  type: list
  elements: str
  sample:
    - create the ticket signing key in secret creatorcloud/creator1/tickets
    - create event release-show
"""

from ansible_collections.creatorcloud.platform.plugins.module_utils.core.converge import account_id_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import currency_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import slug_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_config import tags_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import CreatorSession
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creator_session import (
    creator_session_argument_spec,
)
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.creatorcloud_module import CreatorCloudModule
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tag_parameters
from ansible_collections.creatorcloud.platform.plugins.module_utils.core.tagging import tags_argument_spec
from ansible_collections.creatorcloud.platform.plugins.module_utils.shared.private_bucket import kms_key_arn_error
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events.catalogue import events_errors
from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.events.converge import EventsSlice

EVENT_OPTIONS = dict(
    id=dict(type="str", required=True),
    title=dict(type="str", required=True),
    description=dict(type="str", default=""),
    start=dict(type="str", required=True),
    end=dict(type="str", required=True),
    doors=dict(type="str"),
    time_zone=dict(type="str", required=True),
    location=dict(type="str", required=True),
    price=dict(type="int", required=True),
    capacity=dict(type="int", required=True),
    status=dict(type="str", default="on_sale", choices=["draft", "on_sale", "cancelled"]),
)


def validation_errors(params):
    """Every malformed parameter, named with its value."""
    checks = [
        slug_error("creator", params["creator"]),
        account_id_error("account_id", params["account_id"]),
        tags_error("tags", params["tags"]),
        currency_error("currency", params["currency"]),
        None if params["events_table"] else "events_table is empty: run the tables role first (tables_names.Events)",
        *events_errors(params["events"]),
    ]
    if not params["region"]:
        checks.append("region is missing: set the region of the table, the secret and the KMS key")
    elif not checks[1]:
        checks.append(kms_key_arn_error("kms_key_arn", params["kms_key_arn"], params["region"], params["account_id"]))
    return [error for error in checks if error]


def main():
    argument_spec = dict(
        creator_session_argument_spec(),
        kms_key_arn=dict(type="str", required=True, no_log=False),  # an ARN, not key material
        events_table=dict(type="str", required=True),
        currency=dict(type="str", default="eur"),
        events=dict(type="list", elements="dict", default=[], options=EVENT_OPTIONS),
        **tags_argument_spec(),
    )
    module = CreatorCloudModule(argument_spec=argument_spec, supports_check_mode=True)
    params = dict(module.params, region=module.region, **tag_parameters(module.params))

    module.fail_on_errors(f"creator {params['creator']}", validation_errors(params))

    def make_slice():
        """The converger, with clients inside the creator's account; a new signing key is masked wherever it goes."""
        session = CreatorSession.from_params(module)
        clients = (session.client("dynamodb"), session.client("secretsmanager"))
        return EventsSlice(clients, params, module.check_mode, module.no_log_values.add)

    events = module.run_converge(f"creator {params['creator']}", make_slice)
    changed, before, after = module.run_converge(f"creator {params['creator']}", events.converge)
    summary = {"ticket_key_secret_arn": after["ticket_key"]["arn"], "event_ids": sorted(after["events"])}
    module.exit_converged(events.changes, changed, before, after, events=summary)


if __name__ == "__main__":
    main()
