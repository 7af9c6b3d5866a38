"""Runs PyPI's oidc-provider-mock on 127.0.0.1 as a provider whose token endpoint accepts ONLY
`private_key_jwt` client authentication (OpenID Connect Core §9, RFC 7523), verified by Authlib's
own RFC 7523 implementation: signature with the client's registered public key, `iss` = `sub`,
`aud` = the issuer identifier, `exp`, and a `jti` never seen before.

Usage: PYTHON oidc_provider_private_key_jwt.py RESULT_FILE CLIENT_JWK_FILE USER_JSON...
Each USER_JSON is {"sub": ..., other claims}. Writes {"issuer": ...} to RESULT_FILE once the
provider listens, and serves until standard input reaches end of file.
Test-only code: a provider for the relying-party tests, not part of Portcullis.
"""
import json
import os
import signal
import sys

from authlib.integrations import flask_oauth2
from authlib.oauth2.rfc7523 import JWTBearerClientAssertion
from joserfc.jwk import JWKRegistry

import oidc_provider_mock._app as provider_app
from oidc_provider_mock import User, run_server_in_thread

signal.pthread_sigmask(signal.SIG_SETMASK, [])

METHOD = "private_key_jwt"


def main():
    result_file, jwk_file = sys.argv[1], sys.argv[2]
    users = [json.loads(text) for text in sys.argv[3:]]
    with open(jwk_file) as f:
        client_key = JWKRegistry.import_key(json.load(f))
    issuer_box = {}
    seen_jti = set()

    class Assertion(JWTBearerClientAssertion):
        CLIENT_AUTH_METHOD = METHOD

        def get_audiences(self):
            return [issuer_box["issuer"]]

        def validate_jti(self, claims, jti):
            if jti in seen_jti:
                return False
            seen_jti.add(jti)
            return True

        def resolve_client_public_key(self, client):
            return client_key

    class Server(flask_oauth2.AuthorizationServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.register_client_auth_method(METHOD, Assertion())

    provider_app.flask_oauth2.AuthorizationServer = Server
    provider_app.AuthorizationCodeGrant.TOKEN_ENDPOINT_AUTH_METHODS = [METHOD]
    provider_app.RefreshTokenGrant.TOKEN_ENDPOINT_AUTH_METHODS = [METHOD]

    claims = [User(sub=u.pop("sub"), claims=u) for u in users]
    with run_server_in_thread(port=0, user_claims=claims) as server:
        issuer_box["issuer"] = f"http://127.0.0.1:{server.server_port}"
        with open(result_file + ".tmp", "w") as f:
            json.dump({"issuer": issuer_box["issuer"]}, f)
        os.rename(result_file + ".tmp", result_file)
        sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
