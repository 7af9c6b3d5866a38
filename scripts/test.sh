#!/usr/bin/env bash
# The Portcullis test command (the README and .ci/run use exactly this):
#   1. system packages the build needs (OpenSSL 3 headers, zlib, pkg-config);
#   2. a Python venv at .venv-interop with the pinned interop libraries and the OPA engine
#      (refreshed only when Tests/Interop/requirements*.txt change), plus a quick self-test of the
#      interop harness;
#   3. swift build --build-tests, then swift test --parallel.
# Extra arguments go to `swift test`; build options among them (--scratch-path, -c/--configuration,
# -Xswiftc/-Xcc/-Xlinker, -j/--jobs, --sanitize) are also given to `swift build`.
# Environment: PORTCULLIS_PYTHON picks the interpreter that creates the venv (default python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

log() { printf '==> %s\n' "$*"; }
is_root() { [ "$(id -u)" -eq 0 ]; }

# --- 1. system packages ---------------------------------------------------------------------
SYSTEM_PACKAGES=(libssl-dev zlib1g-dev pkg-config)
if command -v dpkg >/dev/null 2>&1; then
    missing=()
    for package in "${SYSTEM_PACKAGES[@]}"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    command -v python3 >/dev/null 2>&1 || missing+=(python3 python3-venv)
    if [ "${#missing[@]}" -gt 0 ]; then
        if is_root && command -v apt-get >/dev/null 2>&1; then
            log "installing ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            apt-get install -y -q --no-install-recommends "${missing[@]}"
        else
            echo "error: missing system packages: ${missing[*]}" >&2
            echo "install them with: sudo apt-get install -y ${missing[*]}" >&2
            exit 2
        fi
    fi
elif ! pkg-config --exists libcrypto 2>/dev/null; then
    echo "error: OpenSSL 3 (libcrypto) not found by pkg-config; install OpenSSL 3 and pkg-config" >&2
    exit 2
fi

# --- 2. Python interop environment ----------------------------------------------------------
VENV="$ROOT/.venv-interop"
REQUIREMENTS="$ROOT/Tests/Interop/requirements.txt"
STAMP="$VENV/.requirements.stamp"
BASE_PYTHON="${PORTCULLIS_PYTHON:-python3}"

if [ -d "$VENV" ] && ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    log "removing broken venv at .venv-interop"
    rm -rf "$VENV"
fi
if [ ! -x "$VENV/bin/python" ]; then
    log "creating .venv-interop"
    if ! "$BASE_PYTHON" -m venv "$VENV"; then
        rm -rf "$VENV"
        if is_root && command -v apt-get >/dev/null 2>&1; then
            log "installing python3-venv"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -q
            apt-get install -y -q --no-install-recommends python3-venv
            "$BASE_PYTHON" -m venv "$VENV"
        else
            echo "error: '$BASE_PYTHON -m venv' failed; install python3-venv" >&2
            exit 2
        fi
    fi
fi
OPA_REQUIREMENTS="$ROOT/Tests/Interop/requirements-opa.txt"
wanted_stamp="$(cat "$REQUIREMENTS" "$OPA_REQUIREMENTS" | sha256sum | cut -d' ' -f1) $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')"
if [ "$(cat "$STAMP" 2>/dev/null || true)" != "$wanted_stamp" ]; then
    log "installing Tests/Interop/requirements.txt into .venv-interop"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$REQUIREMENTS"
    log "installing Tests/Interop/requirements-opa.txt (the OPA engine) into .venv-interop"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --ignore-requires-python -r "$OPA_REQUIREMENTS"
    printf '%s\n' "$wanted_stamp" > "$STAMP"
fi
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
