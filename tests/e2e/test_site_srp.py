# Copyright: Contributors to the CreatorCloud project
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The site's SRP client (files/frontend/assets/srp.js) in headless Chromium against pycognito's reference math.

For fixed secrets a, salts, server values B, secret blocks, timestamps, passwords, pools and user ids, the
browser's A, u, x, HKDF key and PASSWORD_CLAIM_SIGNATURE equal pycognito's. The inputs are chosen so that
the padding rules matter: A and B with a first nibble of 8 or more (a "00" pad) and below 8, values with an
odd number of hex digits (a "0" pad), and a salt with its high bit set.
"""

import base64
import datetime
import hashlib
import hmac

import pytest
from playbook_runner import REPO
from pycognito import aws_srp

from ansible_collections.creatorcloud.platform.plugins.module_utils.slices.frontend import build

THEME = REPO / "files/frontend"
# A page on loopback (a secure context, so WebCrypto is there) that the test answers itself: no server, no build.
ORIGIN = "http://127.0.0.1:9"
BIG_N = aws_srp.hex_to_long(aws_srp.N_HEX)
COMPUTE = """async (input) => {
    const srp = window.creatorcloud.srp;
    const smallA = BigInt("0x" + input.a);
    const bigB = BigInt("0x" + input.b);
    const result = await srp.passwordAuthenticationKey({
        smallA, bigB, saltHex: input.salt, poolName: srp.poolName(input.pool),
        userIdForSrp: input.user, password: input.password,
    });
    const responses = await srp.passwordVerifierResponses({
        smallA, userPoolId: input.pool, password: input.password, date: new Date(input.date),
        challenge: {SRP_B: input.b, SALT: input.salt, SECRET_BLOCK: input.secret, USER_ID_FOR_SRP: input.user,
                    USERNAME: input.user},
    });
    return {
        A: srp.largeA(smallA).toString(16), u: result.u.toString(16), x: result.x.toString(16),
        key: srp.bytesToHex(result.key), k: (await srp.multiplierK()).toString(16), responses,
    };
}"""


def small_a_where(predicate, start):
    """The first a from `start` on whose A = g^a mod N satisfies `predicate(hex of A)`."""
    value = start
    while not predicate(f"{pow(2, value, BIG_N):x}"):
        value += 1
    return value


def high_nibble(hex_value):
    """The hex has an even length and a first nibble of 8 or more, so pad() prefixes "00"."""
    return len(hex_value) % 2 == 0 and hex_value[0] in "89abcdef"


def low_nibble(hex_value):
    """The hex has an even length and a first nibble below 8, so pad() leaves it as it is."""
    return len(hex_value) % 2 == 0 and hex_value[0] in "01234567"


def odd_length(hex_value):
    """The hex has an odd number of digits, so pad() prefixes "0"."""
    return len(hex_value) % 2 == 1


CASES = [
    pytest.param(
        {
            "a": small_a_where(high_nibble, 0x1F2E3D4C5B6A7988 << 192),
            "b": BIG_N - 0x123456789,  # first nibble f
            "salt": "8f3a9c0d11e2f4a6b7c8d9e0f1a2b3c4",
            "pool": "eu-central-1_Abc123XYZ",
            "user": "7d1c2b3a-0000-4000-8000-00000000c001",
            "password": "Correct-Horse-9!",
            "date": "2026-11-25T12:00:00Z",
        },
        id="A and B padded with 00, salt high bit",
    ),
    pytest.param(
        {
            "a": small_a_where(low_nibble, 0x0A0B0C0D << 224),
            "b": 0x3 << 3000,  # 751 hex digits: odd length
            "salt": "3b9f00aa",
            "pool": "us-east-1_Q",
            "user": "fan@example.org",
            "password": "Ünïcödé-Passwört-1",
            "date": "2026-03-05T03:04:05Z",  # day below 10: not zero-padded
        },
        id="A unpadded, B odd length, unicode password",
    ),
    pytest.param(
        {
            "a": small_a_where(odd_length, 12345),
            "b": 0x7FFF << 2000,  # first nibble 7: no pad
            "salt": "f",
            "pool": "eu-west-1_zz",
            "user": "00000000-1111-4222-8333-444444444444",
            "password": "Aa1!aaaaaaaa",
            "date": "2027-01-01T00:00:00Z",
        },
        id="A odd length, one-digit salt",
    ),
]


def pycognito_values(case):
    """A, u, x, the HKDF key and the verifier's responses as pycognito computes them for `case`."""
    client = aws_srp.AWSSRP(case["user"], case["password"], case["pool"], "client-id", client=object())
    client.small_a_value = case["a"]
    client.large_a_value = client.calculate_a()
    pool_name = case["pool"].split("_")[1]
    u_value = aws_srp.calculate_u(client.large_a_value, case["b"])
    identity = aws_srp.hash_sha256(f"{pool_name}{case['user']}:{case['password']}".encode())
    x_value = aws_srp.hex_to_long(aws_srp.hex_hash(aws_srp.pad_hex(case["salt"]) + identity))
    key = client.get_password_authentication_key(case["user"], case["password"], case["b"], case["salt"])
    date = datetime.datetime.fromisoformat(case["date"].replace("Z", "+00:00"))
    timestamp = client.get_cognito_formatted_timestamp(date)
    message = pool_name.encode() + case["user"].encode() + base64.b64decode(case["secret"]) + timestamp.encode()
    return {
        "A": f"{client.large_a_value:x}",
        "u": f"{u_value:x}",
        "x": f"{x_value:x}",
        "key": key.hex(),
        "k": f"{client.val_k:x}",
        "responses": {
            "USERNAME": case["user"],
            "PASSWORD_CLAIM_SECRET_BLOCK": case["secret"],
            "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode(),
            "TIMESTAMP": timestamp,
        },
    }


@pytest.fixture
def srp_page(page):
    """A blank page on loopback with the site's srp.js loaded, as the build publishes it."""
    site_files = build.build_site(str(THEME), site_with_auth())
    srp_key = next(key for key in site_files if key.startswith("assets/srp."))
    page.route(f"{ORIGIN}/**", lambda route: answer(route, site_files, srp_key))
    page.goto(f"{ORIGIN}/srp.html")
    page.wait_for_function("() => window.creatorcloud && window.creatorcloud.srp")
    return page


def answer(route, site_files, srp_key):
    """The test page, or the published srp.js."""
    if route.request.url.endswith("/srp.html"):
        route.fulfill(content_type="text/html", body=f'<!doctype html><script src="/{srp_key}"></script>')
    else:
        route.fulfill(content_type="text/javascript", body=site_files[srp_key].body)


def site_with_auth():
    """The smallest site that has the auth feature."""
    return {
        "creator": "srptest",
        "display_name": "SRP Test",
        "domain": "srp.example",
        "contact_email": "hello@srp.example",
        "languages": ["en"],
        "features": ["website", "auth"],
        "legal": {"country": "US"},
    }


@pytest.mark.parametrize("case", CASES)
def test_the_site_computes_what_pycognito_computes(case, srp_page):
    case = {**case, "secret": base64.b64encode(hashlib.sha256(case["salt"].encode()).digest() * 3).decode()}
    browser_input = {**case, "a": f"{case['a']:x}", "b": f"{case['b']:x}"}

    computed = srp_page.evaluate(COMPUTE, browser_input)

    expected = pycognito_values(case)
    assert computed == expected


def test_the_padding_cases_are_covered():
    a_values = [f"{pow(2, case.values[0]['a'], BIG_N):x}" for case in CASES]
    b_values = [f"{case.values[0]['b']:x}" for case in CASES]

    assert any(high_nibble(value) for value in a_values) and any(high_nibble(value) for value in b_values)
    assert any(low_nibble(value) for value in a_values) and any(low_nibble(value) for value in b_values)
    assert any(odd_length(value) for value in a_values) and any(odd_length(value) for value in b_values)


def test_the_timestamp_is_cognitos_format(srp_page):
    dates = ["2026-11-25T12:00:00Z", "2026-03-05T03:04:05Z", "2024-02-29T23:59:59Z"]

    stamps = [srp_page.evaluate("(d) => window.creatorcloud.srp.timestamp(new Date(d))", date) for date in dates]

    assert stamps[0] == "Wed Nov 25 12:00:00 UTC 2026"
    assert stamps == [
        aws_srp.AWSSRP.get_cognito_formatted_timestamp(datetime.datetime.fromisoformat(d.replace("Z", "+00:00")))
        for d in dates
    ]


def test_a_server_value_that_is_zero_mod_n_is_refused(srp_page):
    refused = srp_page.evaluate(
        """async (b) => {
            const srp = window.creatorcloud.srp;
            try {
                await srp.passwordAuthenticationKey({smallA: 5n, bigB: BigInt("0x" + b), saltHex: "01",
                    poolName: "p", userIdForSrp: "u", password: "pw"});
                return null;
            } catch (error) { return error.message; }
        }""",
        f"{BIG_N * 2:x}",
    )

    assert refused and "refusing" in refused


def test_a_fresh_a_is_random_and_32_bytes_at_most(srp_page):
    values = srp_page.evaluate("() => [1, 2, 3].map(() => window.creatorcloud.srp.randomSmallA().toString(16))")

    assert len(set(values)) == 3
    assert all(0 < int(value, 16) < 2**256 for value in values)
