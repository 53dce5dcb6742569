/* Copyright: Contributors to the CreatorCloud project
   GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

   Cognito's SRP-6a client (USER_SRP_AUTH / PASSWORD_VERIFIER) on BigInt and WebCrypto, so the
   password never leaves the browser. The math and its byte encodings follow Amazon's
   AuthenticationHelper (amazon-cognito-identity-js), which pycognito reproduces too: every hash
   input is hex "padded" to whole, non-negative bytes, the pool's name is the part of its id after
   the "_", and the session key is HKDF-SHA256 with the info "Caldera Derived Key".
   tests/e2e/test_site_srp.py checks each value against pycognito. A classic script: it registers
   itself as window.creatorcloud.srp (see files/frontend/README.md, "Scripts"). */
(function (root) {
  "use strict";

  // RFC 5054's 3072-bit group, as Cognito uses it.
  var N_HEX =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";
  var N = BigInt("0x" + N_HEX);
  var G = BigInt(2);
  var ZERO = BigInt(0);
  var ONE = BigInt(1);
  var SMALL_A_BYTES = 32;
  var KEY_BYTES = 16;
  var INFO = "Caldera Derived Key";
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var encoder = new TextEncoder();
  var multiplier = null; // k, computed once on first use (it needs an asynchronous hash)

  /* base^exponent mod modulus by square-and-multiply; a negative base is taken mod modulus first. */
  function modPow(base, exponent, modulus) {
    var result = ONE;
    var square = ((base % modulus) + modulus) % modulus;
    var rest = exponent;
    while (rest > ZERO) {
      if (rest & ONE) {
        result = (result * square) % modulus;
      }
      square = (square * square) % modulus;
      rest >>= ONE;
    }
    return result;
  }

  /* The hex of a non-negative BigInt or hex string as whole bytes with a clear sign bit, as Cognito hashes it. */
  function padHex(value) {
    var hex = typeof value === "bigint" ? value.toString(16) : value;
    if (hex.length % 2 === 1) {
      return "0" + hex;
    }
    return "89abcdefABCDEF".indexOf(hex.charAt(0)) !== -1 ? "00" + hex : hex;
  }

  function hexToBytes(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var index = 0; index < bytes.length; index += 1) {
      bytes[index] = parseInt(hex.substr(index * 2, 2), 16);
    }
    return bytes;
  }

  function bytesToHex(bytes) {
    return Array.prototype.map
      .call(new Uint8Array(bytes), function (byte) {
        return (byte < 16 ? "0" : "") + byte.toString(16);
      })
      .join("");
  }

  function concatBytes(parts) {
    var length = parts.reduce(function (total, part) {
      return total + part.length;
    }, 0);
    var joined = new Uint8Array(length);
    var offset = 0;
    parts.forEach(function (part) {
      joined.set(part, offset);
      offset += part.length;
    });
    return joined;
  }

  function base64ToBytes(text) {
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var index = 0; index < binary.length; index += 1) {
      bytes[index] = binary.charCodeAt(index);
    }
    return bytes;
  }

  function bytesToBase64(bytes) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(bytes)));
  }

  /* SHA-256 of bytes, as 64 hex digits. */
  function sha256Hex(bytes) {
    return crypto.subtle.digest("SHA-256", bytes).then(bytesToHex);
  }

  /* SHA-256 of the bytes a hex string stands for, as a BigInt. */
  function hashHexToBigInt(hex) {
    return sha256Hex(hexToBytes(hex)).then(function (digest) {
      return BigInt("0x" + digest);
    });
  }

  function hmacSha256(keyBytes, dataBytes) {
    return crypto.subtle
      .importKey("raw", keyBytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (key) {
        return crypto.subtle.sign("HMAC", key, dataBytes);
      })
      .then(function (signature) {
        return new Uint8Array(signature);
      });
  }

  /* k = H(pad(N) | pad(g)). */
  function multiplierK() {
    if (!multiplier) {
      multiplier = hashHexToBigInt(padHex(N) + padHex(G));
    }
    return multiplier;
  }

  /* A fresh secret a: 32 random bytes, never zero. */
  function randomSmallA() {
    var bytes = crypto.getRandomValues(new Uint8Array(SMALL_A_BYTES));
    var value = BigInt("0x" + bytesToHex(bytes)) % N;
    return value === ZERO ? randomSmallA() : value;
  }

  /* A = g^a mod N. */
  function largeA(smallA) {
    return modPow(G, smallA, N);
  }

  /* u = H(pad(A) | pad(B)). */
  function scramblingParameter(bigA, bigB) {
    return hashHexToBigInt(padHex(bigA) + padHex(bigB));
  }

  /* x = H(pad(salt) | H(poolName | userIdForSrp | ":" | password)). */
  function privateKey(saltHex, poolName, userIdForSrp, password) {
    return sha256Hex(encoder.encode(poolName + userIdForSrp + ":" + password)).then(function (identityHash) {
      return hashHexToBigInt(padHex(saltHex) + identityHash);
    });
  }

  /* HKDF-SHA256 with one output block, cut to 16 bytes: Cognito's derived key. */
  function derivedKey(inputKeyMaterial, salt) {
    return hmacSha256(salt, inputKeyMaterial).then(function (pseudoRandomKey) {
      return hmacSha256(pseudoRandomKey, concatBytes([encoder.encode(INFO), new Uint8Array([1])])).then(
        function (block) {
          return block.slice(0, KEY_BYTES);
        }
      );
    });
  }

  /* The session key and its inputs for the server's B: {u, x, S, key}; a B that is 0 mod N is refused. */
  function passwordAuthenticationKey(options) {
    var bigB = options.bigB;
    if (bigB % N === ZERO) {
      return Promise.reject(new Error("SRP: the server's B is 0 mod N; refusing to continue"));
    }
    var bigA = largeA(options.smallA);
    return Promise.all([
      scramblingParameter(bigA, bigB),
      privateKey(options.saltHex, options.poolName, options.userIdForSrp, options.password),
      multiplierK(),
    ]).then(function (values) {
      var u = values[0];
      var x = values[1];
      var k = values[2];
      if (u === ZERO) {
        throw new Error("SRP: the scrambling parameter u is 0; refusing to continue");
      }
      var base = bigB - k * modPow(G, x, N);
      var secret = modPow(base, options.smallA + u * x, N);
      return derivedKey(hexToBytes(padHex(secret)), hexToBytes(padHex(u))).then(function (key) {
        return { u: u, x: x, S: secret, key: key };
      });
    });
  }

  /* The claim Cognito verifies: base64 HMAC-SHA256(key, poolName | userIdForSrp | secret block | timestamp). */
  function claimSignature(key, poolName, userIdForSrp, secretBlock, timestamp) {
    var message = concatBytes([
      encoder.encode(poolName),
      encoder.encode(userIdForSrp),
      base64ToBytes(secretBlock),
      encoder.encode(timestamp),
    ]);
    return hmacSha256(key, message).then(bytesToBase64);
  }

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  /* Cognito's timestamp, like "Tue Nov 25 12:00:00 UTC 2026": UTC, the day of the month not zero-padded. */
  function timestamp(date) {
    return [
      WEEKDAYS[date.getUTCDay()],
      MONTHS[date.getUTCMonth()],
      String(date.getUTCDate()),
      [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(twoDigits).join(":"),
      "UTC",
      String(date.getUTCFullYear()),
    ].join(" ");
  }

  /* The pool's name as SRP uses it: the part of "eu-central-1_AbC123" after the "_". */
  function poolName(userPoolId) {
    return userPoolId.split("_")[1];
  }

  /* The ChallengeResponses of PASSWORD_VERIFIER for InitiateAuth's ChallengeParameters. */
  function passwordVerifierResponses(options) {
    var parameters = options.challenge;
    var pool = poolName(options.userPoolId);
    var stamp = timestamp(options.date || new Date());
    return passwordAuthenticationKey({
      smallA: options.smallA,
      bigB: BigInt("0x" + parameters.SRP_B),
      saltHex: parameters.SALT,
      poolName: pool,
      userIdForSrp: parameters.USER_ID_FOR_SRP,
      password: options.password,
    })
      .then(function (result) {
        return claimSignature(result.key, pool, parameters.USER_ID_FOR_SRP, parameters.SECRET_BLOCK, stamp);
      })
      .then(function (signature) {
        return {
          USERNAME: parameters.USERNAME || parameters.USER_ID_FOR_SRP,
          PASSWORD_CLAIM_SECRET_BLOCK: parameters.SECRET_BLOCK,
          PASSWORD_CLAIM_SIGNATURE: signature,
          TIMESTAMP: stamp,
        };
      });
  }

  root.creatorcloud = root.creatorcloud || {};
  root.creatorcloud.srp = {
    N: N,
    g: G,
    modPow: modPow,
    padHex: padHex,
    bytesToHex: bytesToHex,
    multiplierK: multiplierK,
    randomSmallA: randomSmallA,
    largeA: largeA,
    scramblingParameter: scramblingParameter,
    privateKey: privateKey,
    passwordAuthenticationKey: passwordAuthenticationKey,
    claimSignature: claimSignature,
    timestamp: timestamp,
    poolName: poolName,
    passwordVerifierResponses: passwordVerifierResponses,
  };
})(window);
