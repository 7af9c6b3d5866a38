#!/usr/bin/env bash
# The Portcullis test command (the README and .ci/run use exactly this):
#   1. system packages the build needs (OpenSSL 3 headers, zlib, pkg-config), and Debian's
#      chromium for the model portal's real-browser test unless the Examples are skipped;
#   2. a Python venv at .venv-interop with the pinned interop libraries and the OPA engine
#      (refreshed only when Tests/Interop/requirements*.txt change), plus a quick self-test of the
#      interop harness;
#   3. swift build --build-tests, then swift test --parallel, for the root package; then a check
#      that the core built without SwiftNIO or Hummingbird;
#   4. the same for the Examples package (the Hummingbird adapter and the example servers, end to
#      end over HTTP on 127.0.0.1). PORTCULLIS_SKIP_EXAMPLES=1 skips this step.
# Extra arguments go to `swift test`; build options among them (--scratch-path, -c/--configuration,
# -Xswiftc/-Xcc/-Xlinker, -j/--jobs, --sanitize) are also given to `swift build`.
# Environment: PORTCULLIS_PYTHON picks the interpreter that creates the venv (default python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

log() { printf '==> %s\n' "$*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- 1. system packages ---------------------------------------------------------------------
# Headless Chromium for the model portal's real-browser test (Examples/Tests/ModelPortalTests).
EXTRA_SYSTEM_PACKAGES=()
if [ "${PORTCULLIS_SKIP_EXAMPLES:-0}" != "1" ]; then EXTRA_SYSTEM_PACKAGES+=(chromium fonts-liberation); fi
# shellcheck source=lib/system-packages.sh
source "$ROOT/scripts/lib/system-packages.sh"

# --- 2. Python interop environment ----------------------------------------------------------
# shellcheck source=lib/interop-venv.sh
source "$ROOT/scripts/lib/interop-venv.sh"
export PORTCULLIS_INTEROP_PYTHON="$VENV/bin/python"
log "PORTCULLIS_INTEROP_PYTHON=$PORTCULLIS_INTEROP_PYTHON"

log "interop harness self-test"
if ! selftest_output=$("$PORTCULLIS_INTEROP_PYTHON" -m unittest discover -s "$ROOT/Tests/Interop" -t "$ROOT/Tests/Interop" 2>&1); then
    printf '%s\n' "$selftest_output" >&2
    echo "error: the interop harness self-test failed" >&2
    exit 1
fi
printf '%s\n' "$selftest_output" | grep -E '^Ran [0-9]+ tests?' || true

# --- 3. build and test ------------------------------------------------------------------------
build_args=()
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        --scratch-path | -c | --configuration | -Xswiftc | -Xcc | -Xlinker | -j | --jobs | --sanitize)
            build_args+=("${args[i]}")
            if [ $((i + 1)) -lt ${#args[@]} ]; then build_args+=("${args[i + 1]}"); fi
            i=$((i + 1))
            ;;
        --scratch-path=* | --configuration=* | --jobs=* | --sanitize=*)
            build_args+=("${args[i]}")
            ;;
    esac
done

log "swift build --build-tests ${build_args[*]-}"
swift build --build-tests ${build_args[@]+"${build_args[@]}"}
log "swift test --parallel $*"
swift test --parallel "$@"

# A server that imports only the core must not build Hummingbird or SwiftNIO: the root package
# (whose default traits leave the Hummingbird adapter empty) has just built every target.
bin_path="$(swift build --show-bin-path ${build_args[@]+"${build_args[@]}"})"
if ls "$bin_path" | grep -E -q '^(NIOCore|NIOPosix|Hummingbird|HummingbirdCore)\.build$'; then
    echo "error: the core build contains SwiftNIO or Hummingbird modules ($bin_path)" >&2
    exit 1
fi
log "core build is free of SwiftNIO and Hummingbird"

# --- 4. Examples package (Hummingbird adapter, example servers) -------------------------------
if [ "${PORTCULLIS_SKIP_EXAMPLES:-0}" != "1" ]; then
    log "swift build --package-path Examples --build-tests"
    swift build --package-path Examples --build-tests
    log "swift test --package-path Examples --parallel"
    swift test --package-path Examples --parallel
fi
