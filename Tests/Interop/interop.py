#!/usr/bin/env python3
"""Interoperability harness for Portcullis against two independent Python JOSE libraries.

Two subcommands, both used by the Swift interop test (which finds this interpreter through
``PORTCULLIS_INTEROP_PYTHON``):

``mint --out FILE [--now UNIX]``
    For every JWS algorithm (RFC 7518 §3, RFC 8037 §3.1) and for each of ``joserfc`` and ``pyjwt``,
    generate a fresh key with ``cryptography``, mint an RFC 9068 access token and write
    ``{"cases": [...], "gaps": [...]}``. Every valid token is first checked by BOTH Python libraries,
    and every negative case is checked to be rejected by both, so a Portcullis disagreement is a
    Portcullis finding, not a harness artefact.

``verify --in FILE``
    Read ``{"cases": [{"alg", "jwks", "token", "claims", "expect"}]}`` (produced by Portcullis) and
    verify each token with both libraries. ``expect`` is ``"valid"``, or anything else (``"invalid"``,
    ``"invalid_signature"``, ...) meaning the token must be rejected. Per-case lines go to stderr, a
    JSON summary to stdout; exit 0 only if every case matched, 1 if one did not, 2 on bad input.

``jwe-mint`` / ``jwe-decrypt``
    The same, for encrypted tokens, with ``joserfc`` and ``jwcrypto`` (see ``jwe_interop.py``).

Only the standard library, ``cryptography``, ``joserfc``, ``pyjwt`` and ``jwcrypto`` are used.
"""

from __future__ import annotations

import argparse
import base64
import copy
import json
import os
import sys
import time
import uuid
import warnings
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Callable

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa

import jwt as pyjwt
from joserfc import jwk as jose_jwk
from joserfc import jwt as jose_jwt
from joserfc.jwt import JWTClaimsRegistry

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import jwe_interop  # noqa: E402  (JWE commands: jwe-mint, jwe-decrypt)

ISSUER = "https://issuer.example"
AUDIENCE = "api://completions"
TOKEN_TYPE = "at+jwt"
LIBRARIES = ("joserfc", "pyjwt")
DEFAULT_LEEWAY = 60


@dataclass(frozen=True)
class AlgSpec:
    """One JWS algorithm, with the curve for EC/OKP keys."""

    alg: str
    crv: str | None = None

    @property
    def label(self) -> str:
        return f"{self.alg}({self.crv})" if self.alg == "EdDSA" else self.alg

    @property
    def family(self) -> str:
        return {"HS": "oct", "RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}[self.alg[:2]]


ALGORITHMS = [
    AlgSpec("HS256"), AlgSpec("HS384"), AlgSpec("HS512"),
    AlgSpec("RS256"), AlgSpec("RS384"), AlgSpec("RS512"),
    AlgSpec("PS256"), AlgSpec("PS384"), AlgSpec("PS512"),
    AlgSpec("ES256", "P-256"), AlgSpec("ES384", "P-384"), AlgSpec("ES512", "P-521"),
    AlgSpec("EdDSA", "Ed25519"), AlgSpec("EdDSA", "Ed448"),
]

# Negative cases are minted for these algorithms (one per key family) for each library.
NEGATIVE_ALGORITHMS = {"HS256", "RS256", "PS256", "ES256", "EdDSA(Ed25519)", "ES512"}

EC_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
EC_SIZES = {"P-256": 32, "P-384": 48, "P-521": 66}
HMAC_SIZES = {"HS256": 32, "HS384": 48, "HS512": 64}


# --------------------------------------------------------------------------- helpers

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def int_bytes(value: int, size: int | None = None) -> bytes:
    """Big-endian unsigned bytes; ``size`` pads to a fixed width (RFC 7518 §6.2.1.2 for EC)."""
    length = size if size is not None else max(1, (value.bit_length() + 7) // 8)
    return value.to_bytes(length, "big")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- keys

@dataclass
class KeyPair:
    """A private key (or HMAC secret) and the public JWK that verifies its signatures."""

    spec: AlgSpec
    private: Any  # bytes for HMAC, a cryptography private key otherwise
    kid: str

    def public_jwk(self) -> dict[str, Any]:
        """The verification JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2), built from raw numbers."""
        base: dict[str, Any]
        key = self.private
        if self.spec.family == "oct":
            base = {"kty": "oct", "k": b64url(key)}
        elif self.spec.family == "RSA":
            numbers = key.public_key().public_numbers()
            base = {"kty": "RSA", "n": b64url(int_bytes(numbers.n)), "e": b64url(int_bytes(numbers.e))}
        elif self.spec.family == "EC":
            numbers = key.public_key().public_numbers()
            size = EC_SIZES[self.spec.crv]
            base = {"kty": "EC", "crv": self.spec.crv,
                    "x": b64url(int_bytes(numbers.x, size)), "y": b64url(int_bytes(numbers.y, size))}
        else:
            raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            base = {"kty": "OKP", "crv": self.spec.crv, "x": b64url(raw)}
        return {**base, "kid": self.kid, "alg": self.spec.alg, "use": "sig"}

    def private_pem(self) -> bytes:
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def generate_key(spec: AlgSpec, kid: str) -> KeyPair:
    if spec.family == "oct":
        private: Any = os.urandom(HMAC_SIZES[spec.alg])
    elif spec.family == "RSA":
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif spec.family == "EC":
        private = ec.generate_private_key(EC_CURVES[spec.crv]())
    elif spec.crv == "Ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    elif spec.crv == "Ed448":
        private = ed448.Ed448PrivateKey.generate()
    else:
        raise ValueError(f"no key generator for {spec.label}")
    return KeyPair(spec, private, kid)


# --------------------------------------------------------------------------- signing

def sign_joserfc(pair: KeyPair, header: dict[str, Any], claims: dict[str, Any]) -> str:
    if pair.spec.family == "oct":
        key = jose_jwk.OctKey.import_key(pair.private)
    elif pair.spec.family == "RSA":
        key = jose_jwk.RSAKey.import_key(pair.private_pem())
    elif pair.spec.family == "EC":
        key = jose_jwk.ECKey.import_key(pair.private_pem())
    else:
        key = jose_jwk.OKPKey.import_key(pair.private_pem())
    return jose_jwt.encode(header, claims, key, algorithms=[pair.spec.alg])


def sign_pyjwt(pair: KeyPair, header: dict[str, Any], claims: dict[str, Any]) -> str:
    extra = {k: v for k, v in header.items() if k != "alg"}
    return pyjwt.encode(claims, pair.private, algorithm=pair.spec.alg, headers=extra)


SIGNERS: dict[str, Callable[[KeyPair, dict[str, Any], dict[str, Any]], str]] = {
    "joserfc": sign_joserfc,
    "pyjwt": sign_pyjwt,
}


def capability_gap(library: str, spec: AlgSpec) -> str | None:
    """Why ``library`` cannot sign ``spec`` at all, or ``None`` if it can.

    This probes the library itself (its algorithm registry and a signature over a test message), so a
    gap is only reported when the library really lacks the algorithm or curve.
    """
    if library == "joserfc":
        from joserfc.jws import JWSRegistry
        if spec.alg not in JWSRegistry.algorithms:
            return f"joserfc {metadata.version('joserfc')} has no JWS algorithm {spec.alg}"
    else:
        if spec.alg not in pyjwt.algorithms.get_default_algorithms():
            return f"pyjwt {metadata.version('pyjwt')} has no algorithm {spec.alg} (is cryptography installed?)"
    try:
        probe = generate_key(spec, "probe")
        token = SIGNERS[library](probe, {"alg": spec.alg}, {"probe": True})
        for verifier in VERIFIERS.values():
            verifier(token, spec.alg, probe.public_jwk(), None, None)
    except (NotImplementedError, pyjwt.exceptions.InvalidKeyError) as error:
        return f"{library} cannot sign {spec.label}: {type(error).__name__}: {error}"
    except Exception as error:  # noqa: BLE001 - the probe reports what the library said
        name = type(error).__name__
        if "Unsupported" in name or "InvalidKeyType" in name:
            return f"{library} cannot sign {spec.label}: {name}: {error}"
        raise
    return None


# --------------------------------------------------------------------------- verification

class ClaimsMismatch(Exception):
    """The token verified, but its claims differ from the expected ones."""


def check_times(claims: dict[str, Any], now: float, leeway: int) -> None:
    """Time rules of RFC 7519 §4.1.4-4.1.6 as pinned in DESIGN.md (used when ``now`` is fixed)."""
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool):
        raise ValueError("exp missing or not a number")
    if not now < exp + leeway:
        raise ValueError(f"expired (exp={exp}, now={now})")
    nbf = claims.get("nbf")
    if nbf is not None and (not isinstance(nbf, (int, float)) or now < nbf - leeway):
        raise ValueError(f"not yet valid (nbf={nbf}, now={now})")
    iat = claims.get("iat")
    if iat is not None and (not isinstance(iat, (int, float)) or iat > now + leeway):
        raise ValueError(f"iat in the future (iat={iat}, now={now})")


def verify_joserfc(token: str, alg: str, jwk_dict: dict[str, Any], expected: dict[str, Any] | None,
                   now: float | None, leeway: int = DEFAULT_LEEWAY) -> dict[str, Any]:
    key = jose_jwk.import_key(copy.deepcopy(jwk_dict))
    decoded = jose_jwt.decode(token, key, algorithms=[alg])
    if expected is not None:
        options: dict[str, Any] = {
            "iss": {"essential": True, "value": expected["issuer"]},
            "aud": {"essential": True, "value": expected["audience"]},
            "exp": {"essential": True},
        }
        registry = JWTClaimsRegistry(now=int(now) if now is not None else None, leeway=leeway, **options)
        registry.validate(decoded.claims)
    return dict(decoded.claims)


def verify_pyjwt(token: str, alg: str, jwk_dict: dict[str, Any], expected: dict[str, Any] | None,
                 now: float | None, leeway: int = DEFAULT_LEEWAY) -> dict[str, Any]:
    key = pyjwt.PyJWK(copy.deepcopy(jwk_dict), algorithm=alg).key
    if expected is None:
        return pyjwt.decode(token, key, algorithms=[alg], options={"verify_aud": False, "verify_exp": False})
    # pyjwt reads the wall clock; with a fixed `now` its time checks are replaced by `check_times`.
    fixed_time = now is not None
    options = {"require": ["exp", "iss", "aud"], "verify_exp": not fixed_time,
               "verify_nbf": not fixed_time, "verify_iat": not fixed_time}
    claims = pyjwt.decode(token, key, algorithms=[alg], audience=expected["audience"],
                          issuer=expected["issuer"], leeway=leeway, options=options)
    if fixed_time:
        check_times(claims, now, leeway)
    return claims


VERIFIERS: dict[str, Callable[..., dict[str, Any]]] = {
    "joserfc": verify_joserfc,
    "pyjwt": verify_pyjwt,
}


class CaseError(Exception):
    """The case itself is unusable (no key for its kid, not a JWK Set, ...)."""


def select_key(jwks: Any, token: str, alg: str) -> dict[str, Any]:
    """Pick the verification key like DESIGN.md: by ``kid`` if the token has one, else the single fitting key."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list):
        raise CaseError("jwks is not a JWK Set object with a 'keys' array")
    header_part = token.split(".")[0]
    try:
        header = json.loads(b64url_decode(header_part))
    except Exception as error:  # noqa: BLE001 - any failure means an unreadable header
        header = {}
        log(f"  (unreadable header: {error})")
    keys = [k for k in jwks["keys"] if isinstance(k, dict)]
    kid = header.get("kid") if isinstance(header, dict) else None
    if kid is not None:
        matches = [k for k in keys if k.get("kid") == kid]
    else:
        family = AlgSpec(alg).family if alg[:2] in ("HS", "RS", "PS", "ES", "Ed") else None
        matches = [k for k in keys if k.get("kty") == family and k.get("alg") in (None, alg)]
    if len(matches) != 1:
        raise CaseError(f"{len(matches)} keys match kid={kid!r} alg={alg} (need exactly one)")
    return matches[0]


def run_case(case: dict[str, Any], library: str, default_now: float | None) -> tuple[bool, str]:
    """Verify one case with one library; return (matched expectation, detail)."""
    alg = case.get("alg")
    token = case.get("token")
    expect = case.get("expect", "valid")
    if not isinstance(alg, str) or not isinstance(token, str) or not isinstance(expect, str):
        raise CaseError("case needs string 'alg', 'token' and 'expect'")
    expected_claims = case.get("claims")
    if expect == "valid" and not isinstance(expected_claims, dict):
        raise CaseError("a valid case needs a 'claims' object")
    checks = {"issuer": case.get("issuer", ISSUER), "audience": case.get("audience", AUDIENCE)}
    now = case.get("now", default_now)
    leeway = case.get("leeway", DEFAULT_LEEWAY)
    if (now is not None and not isinstance(now, (int, float))) or not isinstance(leeway, int) or leeway < 0:
        raise CaseError("'now' must be a number and 'leeway' a non-negative integer")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecation/security warnings about EdDSA, key sizes, ...
        try:
            jwk_dict = select_key(case.get("jwks"), token, alg)
            claims = VERIFIERS[library](token, alg, jwk_dict, checks, now, leeway)
        except CaseError as error:
            if expect == "valid":
                return False, f"unusable case: {error}"
            return True, f"rejected ({error})"
        except Exception as error:  # noqa: BLE001 - every library failure is a rejection
            detail = f"{type(error).__name__}: {error}"
            return (expect != "valid"), ("rejected: " if expect != "valid" else "REJECTED valid token: ") + detail
    if expect != "valid":
        return False, f"ACCEPTED a token expected '{expect}'"
    if claims != expected_claims:
        differing = sorted(k for k in set(claims) | set(expected_claims) if claims.get(k) != expected_claims.get(k))
        return False, f"claims differ in {differing}"
    return True, "verified, claims equal"


# --------------------------------------------------------------------------- mint

def make_claims(now: int, library: str, spec: AlgSpec) -> dict[str, Any]:
    return {
        "iss": ISSUER,
        "sub": f"user-{uuid.uuid4()}",
        "aud": AUDIENCE,
        "exp": now + 3600,
        "iat": now,
        "nbf": now,
        "jti": str(uuid.uuid4()),
        "client_id": f"interop-{library}",
        "scope": "completions completions:premium",
        "tenant": "t123",
        "tier": "premium",
    }


def tamper_signature(token: str) -> str:
    """Flip one bit in the middle of the decoded signature and re-encode it canonically."""
    header, payload, signature = token.split(".")
    raw = bytearray(b64url_decode(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{b64url(bytes(raw))}"


def mint(args: argparse.Namespace) -> int:
    now = int(args.now) if args.now is not None else int(time.time())
    cases: list[dict[str, Any]] = []
    gaps: list[dict[str, Any]] = []
    checks = {"issuer": ISSUER, "audience": AUDIENCE}
    libraries = args.libraries.split(",") if args.libraries else list(LIBRARIES)
    for library in libraries:
        if library not in SIGNERS:
            log(f"unknown library {library!r}; choose from {', '.join(LIBRARIES)}")
            return 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for library in libraries:
            for spec in ALGORITHMS:
                gap = capability_gap(library, spec)
                if gap is not None:
                    gaps.append({"library": library, "alg": spec.alg, "crv": spec.crv, "reason": gap})
                    log(f"[GAP ] {library:8} {spec.label:15} {gap}")
                    continue
                kid = f"{library}-{spec.alg.lower()}" + (f"-{spec.crv.lower()}" if spec.crv else "")
                pair = generate_key(spec, kid)
                header = {"alg": spec.alg, "typ": TOKEN_TYPE, "kid": kid}
                claims = make_claims(now, library, spec)
                token = SIGNERS[library](pair, header, claims)
                jwks = {"keys": [pair.public_jwk()]}
                base = {"library": library, "alg": spec.alg, **({"crv": spec.crv} if spec.crv else {}),
                        "kid": kid, "jwks": jwks, "claims": claims}
                minted = [{**base, "name": f"{library} {spec.label} valid", "token": token, "expect": "valid"}]
                if spec.label in NEGATIVE_ALGORITHMS:
                    minted.append({**base, "name": f"{library} {spec.label} tampered signature",
                                   "token": tamper_signature(token), "expect": "invalid_signature"})
                    other = generate_key(spec, kid)
                    minted.append({**base, "name": f"{library} {spec.label} other key with the same kid",
                                   "token": SIGNERS[library](other, header, claims),
                                   "expect": "invalid_signature"})
                # Every case is cross-checked by both libraries before it is handed to Portcullis.
                for case in minted:
                    for checker in LIBRARIES:
                        matched, detail = run_case(case, checker, float(now))
                        if not matched:
                            log(f"[FAIL] self-check of '{case['name']}' by {checker}: {detail}")
                            return 1
                    log(f"[MINT] {case['name']} ({case['expect']}, cross-checked by {' and '.join(LIBRARIES)})")
                cases.extend(minted)
    document = {
        "now": now,
        "issuer": ISSUER,
        "audience": AUDIENCE,
        "versions": {name: metadata.version(name) for name in ("joserfc", "pyjwt", "cryptography")},
        "cases": cases,
        "gaps": gaps,
    }
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=2, sort_keys=True)
        handle.write("\n")
    log(f"wrote {len(cases)} cases and {len(gaps)} gaps to {args.out}")
    return 0


# --------------------------------------------------------------------------- verify

def verify(args: argparse.Namespace) -> int:
    try:
        with open(args.input, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as error:
        log(f"cannot read {args.input}: {error}")
        return 2
    cases = document.get("cases") if isinstance(document, dict) else None
    if not isinstance(cases, list) or not cases:
        log("input must be an object with a non-empty 'cases' array")
        return 2
    default_now = args.now if args.now is not None else document.get("now")
    libraries = args.libraries.split(",") if args.libraries else list(LIBRARIES)
    results: list[dict[str, Any]] = []
    for index, case in enumerate(cases):
        if not isinstance(case, dict):
            log(f"case {index} is not an object")
            return 2
        name = case.get("name", f"case {index}")
        for library in libraries:
            if library not in VERIFIERS:
                log(f"unknown library {library!r}")
                return 2
            try:
                ok, detail = run_case(case, library, default_now)
            except CaseError as error:
                ok, detail = False, f"unusable case: {error}"
            log(f"[{'PASS' if ok else 'FAIL'}] {library:8} {str(case.get('alg')):6} {name}: {detail}")
            results.append({"case": index, "name": name, "library": library, "alg": case.get("alg"),
                            "expect": case.get("expect", "valid"), "ok": ok, "detail": detail})
    passed = sum(1 for r in results if r["ok"])
    failed = len(results) - passed
    json.dump({"results": results, "passed": passed, "failed": failed}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    log(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_mint = sub.add_parser("mint", help="mint tokens with joserfc and pyjwt for Portcullis to verify")
    p_mint.add_argument("--out", required=True, help="where to write the JSON document")
    p_mint.add_argument("--now", type=int, help="UNIX seconds used as iat/nbf (default: the clock)")
    p_mint.add_argument("--libraries", help="comma-separated subset of joserfc,pyjwt")
    p_mint.set_defaults(func=mint)
    p_verify = sub.add_parser("verify", help="verify tokens minted by Portcullis with joserfc and pyjwt")
    p_verify.add_argument("--in", dest="input", required=True, help="the JSON document to read")
    p_verify.add_argument("--now", type=float,
                          help="UNIX seconds to validate times at (default: the document's 'now', else the clock)")
    p_verify.add_argument("--libraries", help="comma-separated subset of joserfc,pyjwt")
    p_verify.set_defaults(func=verify)
    jwe_interop.add_commands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
