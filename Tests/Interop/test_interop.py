"""Self-test of the interop harness: mint -> convert -> verify round trip, and that verify can fail;
the same for the JWE commands (jwe-mint -> jwe-decrypt).

Run: .venv-interop/bin/python -m unittest discover -s Tests/Interop -v
"""

from __future__ import annotations

import copy
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import interop  # noqa: E402
import jwe_interop  # noqa: E402

NOW = 1_800_000_000


def portcullis_shape(case: dict) -> dict:
    """Reduce a minted case to the shape Portcullis writes for `verify` (no library, kid or name)."""
    return {
        "alg": case["alg"],
        "jwks": case["jwks"],
        "token": case["token"],
        "claims": case["claims"],
        "expect": "valid" if case["expect"] == "valid" else "invalid",
    }


class InteropHarnessTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        minted = os.path.join(cls.tmp.name, "minted.json")
        with redirect_stderr(io.StringIO()):
            status = interop.main(["mint", "--out", minted, "--now", str(NOW), "--libraries", "joserfc"])
        assert status == 0, "mint failed"
        with open(minted, encoding="utf-8") as handle:
            cls.minted = json.load(handle)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def run_verify(self, cases: list[dict], *extra: str) -> tuple[int, dict | None]:
        path = os.path.join(self.tmp.name, "to-verify.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"cases": cases}, handle)
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            status = interop.main(["verify", "--in", path, *extra])
        text = out.getvalue()
        return status, (json.loads(text) if text.strip() else None)

    def test_mint_covers_every_algorithm_with_public_jwks(self) -> None:
        valid = [c for c in self.minted["cases"] if c["expect"] == "valid"]
        labels = {(c["alg"], c.get("crv")) for c in valid}
        self.assertEqual(labels, {(s.alg, s.crv) for s in interop.ALGORITHMS})
        self.assertEqual(self.minted["gaps"], [])
        for case in self.minted["cases"]:
            (key,) = case["jwks"]["keys"]
            self.assertEqual((key["kid"], key["alg"], key["use"]), (case["kid"], case["alg"], "sig"))
            self.assertNotIn("d", key, "a public JWK Set must not carry private parts")
            self.assertEqual(case["claims"]["exp"], NOW + 3600)
        negatives = [c for c in self.minted["cases"] if c["expect"] == "invalid_signature"]
        self.assertGreaterEqual(len(negatives), 2 * len(interop.NEGATIVE_ALGORITHMS))

    def test_round_trip_through_verify(self) -> None:
        cases = [portcullis_shape(c) for c in self.minted["cases"]]
        status, summary = self.run_verify(cases, "--now", str(NOW + 10))
        self.assertEqual(status, 0)
        self.assertEqual(summary["failed"], 0)
        self.assertEqual(summary["passed"], 2 * len(cases))
        self.assertEqual({r["library"] for r in summary["results"]}, {"joserfc", "pyjwt"})

    def test_verify_fails_when_a_valid_token_is_declared_invalid(self) -> None:
        case = portcullis_shape(next(c for c in self.minted["cases"] if c["alg"] == "ES256"))
        case["expect"] = "invalid"
        status, summary = self.run_verify([case], "--now", str(NOW))
        self.assertEqual(status, 1)
        self.assertEqual(summary["failed"], 2)

    def test_verify_fails_when_claims_differ(self) -> None:
        case = portcullis_shape(self.minted["cases"][0])
        case["claims"] = {**case["claims"], "tier": "free"}
        status, summary = self.run_verify([case], "--now", str(NOW))
        self.assertEqual(status, 1)
        self.assertTrue(all("claims differ" in r["detail"] for r in summary["results"]))

    def test_verify_rejects_expired_and_wrong_audience(self) -> None:
        base = portcullis_shape(next(c for c in self.minted["cases"] if c["alg"] == "RS256"))
        expired = copy.deepcopy(base)
        expired["now"] = NOW + 3600 + interop.DEFAULT_LEEWAY  # now == exp + leeway is expired
        wrong_audience = {**copy.deepcopy(base), "audience": "api://other"}
        for case in (expired, wrong_audience):
            status, summary = self.run_verify([case])
            self.assertEqual(status, 1)
            self.assertTrue(all(not r["ok"] for r in summary["results"]), summary)
            case["expect"] = "invalid"
            status, _ = self.run_verify([case])
            self.assertEqual(status, 0)

    def test_verify_selects_by_kid_and_never_falls_back(self) -> None:
        first, second = (portcullis_shape(c) for c in self.minted["cases"] if c["alg"] == "HS384" or c["alg"] == "HS512")
        # The HS384 token's kid is absent from a set holding only another key: no fallback, so it is rejected.
        case = {**first, "jwks": second["jwks"], "alg": first["alg"]}
        status, summary = self.run_verify([case], "--now", str(NOW))
        self.assertEqual(status, 1)
        self.assertTrue(all("unusable case" in r["detail"] for r in summary["results"]))

    def test_verify_reports_bad_input_with_status_2(self) -> None:
        status, summary = self.run_verify([])
        self.assertEqual(status, 2)
        self.assertIsNone(summary)


class JWEHarnessTests(unittest.TestCase):
    """jwe-mint -> jwe-decrypt round trip, and that jwe-decrypt can fail."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.tmp = tempfile.TemporaryDirectory()
        minted = os.path.join(cls.tmp.name, "jwe-minted.json")
        with redirect_stderr(io.StringIO()):
            status = interop.main(["jwe-mint", "--out", minted, "--libraries", "jwcrypto"])
        assert status == 0, "jwe-mint failed"
        with open(minted, encoding="utf-8") as handle:
            cls.minted = json.load(handle)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.tmp.cleanup()

    def run_decrypt(self, cases: list[dict]) -> tuple[int, dict | None]:
        path = os.path.join(self.tmp.name, "to-decrypt.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({"cases": cases}, handle)
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            status = interop.main(["jwe-decrypt", "--in", path])
        text = out.getvalue()
        return status, (json.loads(text) if text.strip() else None)

    def test_mint_covers_every_pair_without_gaps(self) -> None:
        self.assertEqual(self.minted["gaps"], [])
        pairs = {(c["alg"], c["enc"]) for c in self.minted["cases"]}
        self.assertEqual(len(pairs), len(jwe_interop.ALGORITHMS) * len(jwe_interop.ENCRYPTIONS))
        curves = {c["crv"] for c in self.minted["cases"] if c["alg"] == "ECDH-ES"}
        self.assertEqual(curves, set(jwe_interop.CURVES))
        for case in self.minted["cases"]:
            (key,) = case["jwks"]["keys"]
            self.assertEqual((key["alg"], key["use"]), (case["alg"], "enc"))

    def test_round_trip_through_decrypt(self) -> None:
        sample = [c for c in self.minted["cases"] if c["enc"] in ("A128GCM", "A256GCM")]
        status, summary = self.run_decrypt(sample)
        self.assertEqual(status, 0)
        self.assertEqual(summary["passed"], 2 * len(sample))

    def test_decrypt_fails_on_a_wrong_plaintext_or_a_modified_tag(self) -> None:
        case = copy.deepcopy(next(c for c in self.minted["cases"] if c["alg"] == "A128KW"))
        case["plaintext"] = "something else"
        status, summary = self.run_decrypt([case])
        self.assertEqual((status, summary["failed"]), (1, 2))
        case = copy.deepcopy(next(c for c in self.minted["cases"] if c["alg"] == "RSA-OAEP-256"))
        tag = case["token"].rsplit(".", 1)[1]
        case["token"] = case["token"][: -len(tag)] + ("A" if tag[0] != "A" else "B") + tag[1:]
        status, summary = self.run_decrypt([case])
        self.assertEqual((status, summary["failed"]), (1, 2))

    def test_decrypt_reports_bad_input_with_status_2(self) -> None:
        status, summary = self.run_decrypt([])
        self.assertEqual(status, 2)
        self.assertIsNone(summary)


if __name__ == "__main__":
    unittest.main()
