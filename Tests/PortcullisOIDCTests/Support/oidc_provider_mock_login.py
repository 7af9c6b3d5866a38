"""Runs PyPI's oidc-provider-mock on 127.0.0.1 and signs a user in through it, for the
PortcullisOIDC end-to-end test.

Usage: PYTHON oidc_provider_mock_login.py RESULT_FILE
Starts the provider on a free port with a predefined user carrying custom `roles` and `tenant`
claims, runs the authorization-code flow without a browser (posting the consent form, then
redeeming the code at the token endpoint), and writes
{"issuer", "client_id", "nonce", "id_token", "access_token"} to RESULT_FILE. The provider keeps
serving (discovery, JWK Set) until standard input reaches end of file.
"""
import base64
import json
import os
import secrets
import signal
import sys
import urllib.error
import urllib.parse
import urllib.request

from oidc_provider_mock import User, run_server_in_thread

signal.pthread_sigmask(signal.SIG_SETMASK, [])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    user = User(sub="alice", claims={"email": "alice@example.com", "roles": ["Data Scientist", "Viewer"], "tenant": "t123"})
    with run_server_in_thread(port=0, require_nonce=True, user_claims=[user]) as server:
        base = f"http://127.0.0.1:{server.server_port}"
        client_id, secret, redirect_uri = "model-portal", "s3cret", "http://127.0.0.1/callback"
        nonce, state = secrets.token_urlsafe(16), secrets.token_urlsafe(8)
        query = urllib.parse.urlencode({
            "client_id": client_id, "redirect_uri": redirect_uri, "response_type": "code",
            "scope": "openid profile email", "nonce": nonce, "state": state,
        })
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(urllib.request.Request(
                f"{base}/oauth2/authorize?{query}", data=urllib.parse.urlencode({"sub": "alice"}).encode()))
            raise SystemExit("the consent form did not redirect")
        except urllib.error.HTTPError as redirect:
            location = redirect.headers["Location"]
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
        assert params["state"] == [state], params
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        token_request = urllib.request.Request(
            f"{base}/oauth2/token",
            data=urllib.parse.urlencode({
                "grant_type": "authorization_code", "code": params["code"][0], "redirect_uri": redirect_uri,
            }).encode(),
            headers={"Authorization": f"Basic {basic}"})
        tokens = json.load(urllib.request.urlopen(token_request))
        result = {
            "issuer": base, "client_id": client_id, "nonce": nonce,
            "id_token": tokens["id_token"], "access_token": tokens["access_token"],
        }
        with open(sys.argv[1] + ".tmp", "w") as f:
            json.dump(result, f)
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    main()
