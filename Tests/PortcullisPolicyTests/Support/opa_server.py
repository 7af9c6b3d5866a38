"""Test-only server for OPA's REST Data API, backed by the real OPA engine (opa-golib-python-bindings).

    python opa_server.py POLICY.rego PORT_FILE [--delay SECONDS]

Serves POST /v1/data/<path> with {"input": ...} on 127.0.0.1 (a port the kernel picks, written to
PORT_FILE once listening) and answers {"result": <document>} or {} when the document is undefined,
as OPA does. --delay makes every answer wait, to test client timeouts.
"""
import http.server
import json
import os
import signal
import sys
import threading
import time

from opa_bindings import OpaEngine, OpaUndefinedError

MAX_BODY = 1 << 20


def main():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    policy_path, port_file = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[sys.argv.index("--delay") + 1]) if "--delay" in sys.argv else 0.0
    engine = OpaEngine()
    with open(policy_path, encoding="utf-8") as f:
        engine.add_policy(os.path.basename(policy_path), f.read())
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            if delay:
                time.sleep(delay)
            if not self.path.startswith("/v1/data/"):
                return self.answer(404, {"code": "resource_not_found", "message": self.path})
            length = int(self.headers.get("Content-Length", "0"))
            if length > MAX_BODY:
                return self.answer(413, {"code": "invalid_parameter", "message": "body too large"})
            try:
                request = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                return self.answer(400, {"code": "invalid_parameter", "message": "body is not JSON"})
            document = self.path[len("/v1/data/"):].strip("/").replace("/", ".")
            try:
                with lock:
                    result = engine.eval_document(document, request.get("input"))
            except OpaUndefinedError:
                return self.answer(200, {})
            except Exception as error:  # an evaluation error is a 500, as in OPA
                return self.answer(500, {"code": "internal_error", "message": str(error)})
            self.answer(200, {"result": result})

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
