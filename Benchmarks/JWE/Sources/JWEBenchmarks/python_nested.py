"""Times nested-JWT decrypt + verify with joserfc and jwcrypto, for JWEBenchmarks.

Input (argv[1]): {"seconds": S, "cases": [{"name", "token", "enc_jwk", "sig_jwk", "alg", "enc", "sig_alg"}]}.
Output (stdout): {"joserfc": {name: ops_per_second}, "jwcrypto": {...}, "versions": {...}}.
Each library decrypts the JWE with the private encryption JWK, checks cty, verifies the inner JWS with
the public signing JWK and parses the claims, as Portcullis does.
"""

import json
import sys
import time
import warnings
from importlib import metadata

from joserfc import jwe as jose_jwe, jwk as jose_jwk, jws as jose_jws
from jwcrypto import jwe as jwc_jwe, jwk as jwc_jwk, jws as jwc_jws

warnings.simplefilter("ignore")


def joserfc_case(case):
    enc_key = jose_jwk.import_key(case["enc_jwk"])
    sig_key = jose_jwk.import_key(case["sig_jwk"])
    algs = [case["alg"], case["enc"]]

    def run():
        outer = jose_jwe.decrypt_compact(case["token"], enc_key, algorithms=algs)
        assert outer.protected["cty"].upper() == "JWT"
        inner = jose_jws.deserialize_compact(outer.plaintext, sig_key, algorithms=[case["sig_alg"]])
        claims = json.loads(inner.payload)
        assert claims["exp"] > time.time()
    return run


def jwcrypto_case(case):
    enc_key = jwc_jwk.JWK(**case["enc_jwk"])
    sig_key = jwc_jwk.JWK(**case["sig_jwk"])

    def run():
        outer = jwc_jwe.JWE(algs=[case["alg"], case["enc"]])
        outer.deserialize(case["token"], key=enc_key)
        assert outer.jose_header["cty"].upper() == "JWT"
        inner = jwc_jws.JWS()
        inner.allowed_algs = [case["sig_alg"]]
        inner.deserialize(outer.payload.decode(), key=sig_key)
        claims = json.loads(inner.payload)
        assert claims["exp"] > time.time()
    return run


def measure(body, seconds):
    body()  # must succeed before anything is timed
    end = time.perf_counter() + seconds / 5
    while time.perf_counter() < end:
        body()
    count, start = 0, time.perf_counter()
    end = start + seconds
    while True:
        for _ in range(8):
            body()
        count += 8
        now = time.perf_counter()
        if now >= end:
            return count / (now - start)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    result = {"joserfc": {}, "jwcrypto": {},
              "versions": {name: metadata.version(name) for name in ("joserfc", "jwcrypto", "cryptography")}}
    for case in document["cases"]:
        result["joserfc"][case["name"]] = measure(joserfc_case(case), document["seconds"])
        result["jwcrypto"][case["name"]] = measure(jwcrypto_case(case), document["seconds"])
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
