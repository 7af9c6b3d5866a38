#!/usr/bin/env bash
# The model portal, signed in through a real OpenID provider, in one command:
#   - oidc-provider-mock (PyPI, pinned in Tests/Interop/requirements.txt, installed into
#     .venv-interop) on http://127.0.0.1:9400 with three users:
#     vera (Viewer), dana (Data Scientist), ada (Admin);
#   - the model portal on http://127.0.0.1:8080 against it (client model-portal, secret s3cret),
#     re-reading each session's roles from the provider at least every 60 s.
# Open http://127.0.0.1:8080/, choose "Sign in" and type vera, dana or ada. Ctrl-C stops both.
# Environment: PROVIDER_PORT (9400), PORT (8080). Extra arguments go to the portal.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PROVIDER_PORT="${PROVIDER_PORT:-9400}"
PORT="${PORT:-8080}"

log() { printf '==> %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# shellcheck source=lib/system-packages.sh
source "$ROOT/scripts/lib/system-packages.sh"
# shellcheck source=lib/interop-venv.sh
source "$ROOT/scripts/lib/interop-venv.sh"

log "building the model portal (the first build compiles Hummingbird and SwiftNIO: a few minutes)"
swift build --package-path Examples --product ModelPortal
PORTAL="$(swift build --package-path Examples --show-bin-path)/ModelPortal"

ISSUER="http://127.0.0.1:$PROVIDER_PORT"
log "starting oidc-provider-mock on $ISSUER"
"$VENV/bin/oidc-provider-mock" -p "$PROVIDER_PORT" \
    --user-claims '{"sub": "vera", "name": "Vera", "roles": ["Viewer"]}' \
    --user-claims '{"sub": "dana", "name": "Dana", "roles": ["Data Scientist"]}' \
    --user-claims '{"sub": "ada", "name": "Ada", "roles": ["Admin"]}' &
PROVIDER_PID=$!
trap 'kill "$PROVIDER_PID" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$ISSUER/.well-known/openid-configuration" 2>/dev/null && break
    kill -0 "$PROVIDER_PID" 2>/dev/null || { echo "error: oidc-provider-mock did not start (port $PROVIDER_PORT in use?)" >&2; exit 1; }
    sleep 0.2
done

log "model portal on http://127.0.0.1:$PORT/ — sign in as vera, dana or ada"
log "demote someone at the provider and watch the portal follow within a minute:"
log "  curl -X PUT $ISSUER/users/ada -H 'Content-Type: application/json' -d '{\"roles\": [\"Viewer\"]}'"
"$PORTAL" --issuer "$ISSUER" --client-id model-portal --client-secret s3cret --port "$PORT" \
    --claims-max-age 60 "$@"
