"""JWE interoperability: Portcullis against joserfc and jwcrypto (RFC 7516, RFC 7518 §4–5, RFC 8037).

Two subcommands of ``interop.py``:

``jwe-mint --out FILE``
    For every key management algorithm x content encryption pair (ECDH-ES* on P-256, P-384, P-521
    and X25519), generate a key with joserfc, encrypt a plaintext with each of ``joserfc`` and
    ``jwcrypto`` (compressed with ``zip: DEF`` for A256GCM) and write ``{"cases": [{"library", "alg", "enc", "crv", "jwks", "token",
    "plaintext"}], "gaps": [...]}`` where ``jwks`` holds the PRIVATE key. Every token is first
    decrypted by BOTH libraries, so a Portcullis disagreement is a Portcullis finding.

``jwe-decrypt --in FILE``
    Read ``{"cases": [{"alg", "enc", "jwks", "token", "plaintext"}]}`` (produced by Portcullis;
    ``jwks`` holds the private key) and decrypt each token with both libraries, comparing the
    plaintext. Per-case lines go to stderr, a JSON summary to stdout; exit 0 only if every case
    matched, 1 if one did not, 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from typing import Any

from joserfc import jwe as jose_jwe
from joserfc import jwk as jose_jwk
from jwcrypto import jwe as jwc_jwe
from jwcrypto import jwk as jwc_jwk

LIBRARIES = ("joserfc", "jwcrypto")
ALGORITHMS = [
    "RSA1_5", "RSA-OAEP", "RSA-OAEP-256", "A128KW", "A192KW", "A256KW", "dir",
    "ECDH-ES", "ECDH-ES+A128KW", "ECDH-ES+A192KW", "ECDH-ES+A256KW",
    "A128GCMKW", "A192GCMKW", "A256GCMKW",
    "PBES2-HS256+A128KW", "PBES2-HS384+A192KW", "PBES2-HS512+A256KW",
]
ENCRYPTIONS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"]
CURVES = ["P-256", "P-384", "P-521", "X25519"]
CEK_BYTES = {"A128CBC-HS256": 32, "A192CBC-HS384": 48, "A256CBC-HS512": 64, "A128GCM": 16, "A192GCM": 24, "A256GCM": 32}
PLAINTEXT = "Live long and prosper. \u2013 \U0001F596"

warnings.simplefilter("ignore")  # joserfc's SecurityWarning for RSA1_5 (tested on purpose)


def log(message: str) -> None:
    print(message, file=sys.stderr)


def generate_key(alg: str, enc: str, crv: str | None) -> dict[str, Any]:
    """A private JWK for ``alg`` (with ``enc`` deciding the size of a ``dir`` key)."""
    if alg.startswith("RSA"):
        key = jose_jwk.RSAKey.generate_key(2048)
    elif alg.startswith("ECDH-ES"):
        key = jose_jwk.OKPKey.generate_key(crv) if crv == "X25519" else jose_jwk.ECKey.generate_key(crv)
    elif alg == "dir":
        key = jose_jwk.OctKey.generate_key(CEK_BYTES[enc] * 8)
    elif alg.startswith("PBES2"):
        key = jose_jwk.OctKey.generate_key(256)
    else:
        key = jose_jwk.OctKey.generate_key(int(alg[1:4]))
    jwk = dict(key.as_dict(private=True))
    jwk.update({"kid": f"{alg}-{enc}-{crv or 'k'}", "alg": alg, "use": "enc"})
    return jwk


def public_part(jwk: dict[str, Any]) -> dict[str, Any]:
    if jwk["kty"] == "oct":
        return jwk
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}


def encrypt(library: str, jwk: dict[str, Any], alg: str, enc: str, plaintext: bytes, zip_: bool = False) -> str:
    header = {"alg": alg, "enc": enc, "kid": jwk["kid"], **({"zip": "DEF"} if zip_ else {})}
    if library == "joserfc":
        key = jose_jwk.import_key(public_part(jwk))
        extra = {"p2c": 10000} if alg.startswith("PBES2") else {}
        return jose_jwe.encrypt_compact({**header, **extra}, plaintext, key, algorithms=[alg, enc, "DEF"])
    token = jwc_jwe.JWE(plaintext, protected=json.dumps(header), algs=[alg, enc])
    token.add_recipient(jwc_jwk.JWK(**public_part(jwk)))
    return token.serialize(compact=True)


def decrypt(library: str, jwk: dict[str, Any], alg: str, enc: str, token: str) -> bytes:
    if library == "joserfc":
        return jose_jwe.decrypt_compact(token, jose_jwk.import_key(jwk), algorithms=[alg, enc, "DEF"]).plaintext
    message = jwc_jwe.JWE(algs=[alg, enc])
    message.deserialize(token, key=jwc_jwk.JWK(**jwk))
    return message.payload


def pairs() -> list[tuple[str, str, str | None]]:
    result = []
    for alg in ALGORITHMS:
        for enc in ENCRYPTIONS:
            if alg.startswith("ECDH-ES"):
                # Every curve with one enc; every enc on P-256.
                for crv in CURVES if enc == "A128GCM" else ["P-256"]:
                    result.append((alg, enc, crv))
            else:
                result.append((alg, enc, None))
    return result


def mint(args: argparse.Namespace) -> int:
    libraries = args.libraries.split(",") if args.libraries else list(LIBRARIES)
    cases: list[dict[str, Any]] = []
    gaps: list[str] = []
    for alg, enc, crv in pairs():
        jwk = generate_key(alg, enc, crv)
        for library in libraries:
            label = f"{library} {alg} {enc} {crv or ''}".strip()
            try:
                # zip: DEF on one enc, so compressed tokens are covered for every alg.
                token = encrypt(library, jwk, alg, enc, PLAINTEXT.encode(), zip_=enc == "A256GCM")
            except Exception as error:  # a capability gap of that library
                gaps.append(f"{label}: {type(error).__name__}: {error}")
                continue
            for checker in LIBRARIES:
                try:
                    if decrypt(checker, jwk, alg, enc, token) != PLAINTEXT.encode():
                        gaps.append(f"{label}: {checker} decrypts it to another plaintext")
                except Exception as error:
                    gaps.append(f"{label}: {checker} cannot decrypt it: {type(error).__name__}: {error}")
            cases.append({"library": library, "alg": alg, "enc": enc, "crv": crv, "jwks": {"keys": [jwk]},
                          "token": token, "plaintext": PLAINTEXT, "name": label})
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"cases": cases, "gaps": gaps}, handle, indent=1)
    log(f"{len(cases)} JWE cases written, {len(gaps)} gaps")
    return 0


def decrypt_cases(args: argparse.Namespace) -> int:
    try:
        with open(args.input, encoding="utf-8") as handle:
            cases = json.load(handle)["cases"]
        if not cases:
            raise ValueError("no cases")
    except (OSError, ValueError, KeyError) as error:
        log(f"bad input: {error}")
        return 2
    libraries = args.libraries.split(",") if args.libraries else list(LIBRARIES)
    results = []
    for index, case in enumerate(cases):
        for library in libraries:
            try:
                (jwk,) = case["jwks"]["keys"]
                plaintext = decrypt(library, jwk, case["alg"], case["enc"], case["token"])
                ok = plaintext == case["plaintext"].encode()
                detail = "decrypted" if ok else "plaintext differs"
            except Exception as error:
                ok, detail = False, f"{type(error).__name__}: {error}"
            log(f"[{'PASS' if ok else 'FAIL'}] {library:8} {case['alg']} {case['enc']}: {detail}")
            results.append({"case": index, "library": library, "alg": case["alg"], "enc": case["enc"],
                            "ok": ok, "detail": detail})
    passed = sum(1 for r in results if r["ok"])
    failed = len(results) - passed
    json.dump({"results": results, "passed": passed, "failed": failed}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    log(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def add_commands(sub: Any) -> None:
    """Registers ``jwe-mint`` and ``jwe-decrypt`` on ``interop.py``'s subcommand parser."""
    p_mint = sub.add_parser("jwe-mint", help="encrypt with joserfc and jwcrypto for Portcullis to decrypt")
    p_mint.add_argument("--out", required=True, help="where to write the JSON document")
    p_mint.add_argument("--libraries", help="comma-separated subset of joserfc,jwcrypto")
    p_mint.set_defaults(func=mint)
    p_decrypt = sub.add_parser("jwe-decrypt", help="decrypt tokens made by Portcullis with joserfc and jwcrypto")
    p_decrypt.add_argument("--in", dest="input", required=True, help="the JSON document to read")
    p_decrypt.add_argument("--libraries", help="comma-separated subset of joserfc,jwcrypto")
    p_decrypt.set_defaults(func=decrypt_cases)
