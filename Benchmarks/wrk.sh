#!/usr/bin/env bash
# Load test of the completion server with wrk on loopback (issue: the middleware's cost per request).
#   GET /bench/models  no authorization at all (the baseline: same JSON, no middleware)
#   GET /v1/models     ES256 tokens, then HS256 tokens (full middleware: extraction, verification,
#                      policy, rate-limit bookkeeping off, audit event built and counted)
# Usage: Benchmarks/wrk.sh [seconds per run, default 10] [connections, default 32]
# Needs wrk (apt-get install wrk). Rate limits are off and the audit log level is "warning" so that
# allowed decisions are counted but not printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DURATION="${1:-10}"
CONNECTIONS="${2:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }

swift build -c release --package-path Examples --product CompletionServer >/dev/null
BIN="$(swift build -c release --package-path Examples --show-bin-path)/CompletionServer"
PORT=18080

run_server() {
    "$BIN" --port "$PORT" --no-rate-limits --benchmark-baseline --log-level warning --dev-algorithm "$1" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && return; sleep 0.1; done
    echo "server did not start" >&2; exit 1
}
measure() {  # label, path, [token]
    local args=(-t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency)
    [ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
    local out; out="$(wrk "${args[@]}" "http://127.0.0.1:$PORT$2")"
    local rps; rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    local p50; p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    local non2xx; non2xx="$(awk '/Non-2xx/ {print $5}' <<<"$out")"
    printf '%-28s %12s req/s   p50 %-8s non-2xx %s\n' "$1" "$rps" "$p50" "${non2xx:-0}" >&2
    echo "$rps"
}

declare -A RESULT
for alg in ES256 HS256; do
    run_server "$alg"
    token="$(curl -s -d tier=premium -d format=text "http://127.0.0.1:$PORT/dev/token")"
    if [ "$alg" = ES256 ]; then
        RESULT[baseline]="$(measure "baseline (no auth)" /bench/models | tail -1)"
    fi
    RESULT[$alg]="$(measure "$alg token" /v1/models "$token" | tail -1)"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
done
python3 - "${RESULT[baseline]}" "${RESULT[ES256]}" "${RESULT[HS256]}" <<'PY'
import sys
base, es, hs = map(float, sys.argv[1:])
print(f"ratios to the baseline: ES256 {es / base:.3f}, HS256 {hs / base:.3f}")
print(f"time per request: baseline {1e6 / base:.1f} us, ES256 {1e6 / es:.1f} us, HS256 {1e6 / hs:.1f} us")
print(f"per-request cost over the baseline: ES256 {1e6 / es - 1e6 / base:.1f} us, HS256 {1e6 / hs - 1e6 / base:.1f} us")
PY
