#!/usr/bin/env bash
# A short, self-contained demonstration of the portcullis CLI on a freshly generated key:
# keygen → sign → inspect → verify (accepted) → verify (rejected, with the reason code).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! pkg-config --exists libcrypto 2>/dev/null; then
  echo "OpenSSL 3 development files are missing: apt-get install -y libssl-dev zlib1g-dev pkg-config" >&2
  exit 2
fi

echo "==> Building the portcullis CLI (first build takes a minute)"
swift build --product portcullis >/dev/null
bin="$(swift build --show-bin-path)/portcullis"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

step() { printf '\n==> %s\n$ %s\n' "$1" "${*:2}"; "${@:2}"; }

step "Generate an ES256 signing key (private JWK + public JWK Set)" \
  "$bin" keygen --alg ES256 --kid demo-key --private-out "$work/key.jwk" --public-out "$work/jwks.json"
cat "$work/jwks.json"

printf '\n==> Mint a premium access token\n'
token="$("$bin" sign --key "$work/key.jwk" --type at+jwt --issuer https://issuer.example \
  --subject alice --audience api://completions --scope completions --scope completions:premium \
  --claims '{"tenant":"t123","tier":"premium"}' --expires-in 900)"
echo "$token"

step "Inspect it (decoded, NOT verified)" "$bin" inspect "$token"

step "Verify it: accepted (exit 0)" \
  "$bin" verify --jwks "$work/jwks.json" --issuer https://issuer.example --audience api://completions \
  --type at+jwt --scope completions:premium "$token"

printf '\n==> Verify it for another audience: rejected (exit 1) with a reason code\n'
set +e
"$bin" verify --jwks "$work/jwks.json" --audience api://analytics --json "$token"
status=$?
set -e
echo "exit status: $status"

printf '\nDone. Try: %s --help\n' "$bin"
