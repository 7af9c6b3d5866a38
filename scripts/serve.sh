#!/usr/bin/env bash
# The main job: the free/premium completion server with its built-in development issuer.
# It prints ready-to-paste curl commands once it listens (default http://127.0.0.1:8080).
# Arguments go to the server, e.g. `scripts/serve.sh --port 9000` or
# `scripts/serve.sh --issuer https://login.example.com --audience api://completions --jwks-url …`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

log() { printf '==> %s\n' "$*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }
# shellcheck source=lib/system-packages.sh
source "$ROOT/scripts/lib/system-packages.sh"

log "building the completion server (the first build compiles Hummingbird and SwiftNIO: a few minutes)"
swift build --package-path Examples --product CompletionServer
exec "$(swift build --package-path Examples --show-bin-path)/CompletionServer" "$@"
