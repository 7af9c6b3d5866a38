# Sourced by the scripts: creates or refreshes the Python venv .venv-interop with the pinned
# interop libraries, oidc-provider-mock and the OPA engine (Tests/Interop/requirements*.txt),
# reinstalling only when those files or the interpreter change. Sets VENV.
# Needs ROOT, `log` and `is_root` from the caller. PORTCULLIS_PYTHON picks the interpreter that
# creates the venv (default python3).

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
