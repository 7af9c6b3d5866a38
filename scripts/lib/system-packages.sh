# Sourced by the scripts: installs the system packages Portcullis builds and tests with (OpenSSL 3
# headers, zlib, pkg-config, curl for the HTTP tests, python3), when they are missing.
# Needs `log` and `is_root` from the caller; a caller may name more Debian packages in the array
# EXTRA_SYSTEM_PACKAGES (scripts/test.sh: chromium, for the model portal's real-browser test).

SYSTEM_PACKAGES=(libssl-dev zlib1g-dev pkg-config curl ${EXTRA_SYSTEM_PACKAGES[@]+"${EXTRA_SYSTEM_PACKAGES[@]}"})
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
