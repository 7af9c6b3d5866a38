"""A controllable HTTP server on 127.0.0.1 for the PortcullisOIDC tests (stdlib only).

Usage: python3 mock_server.py PORT_FILE
It listens on a port the kernel picks, writes the port to PORT_FILE, and exits when its standard
input reaches end of file (the test process ended). Tests configure responses at run time:

  POST /_control/set   {"path": "/x", "status": 200, "body": "...", "repeat": 1,
                        "headers": {"Cache-Control": "max-age=60"}, "delay": 0.0,
                        "no_length": false}
  GET  /_control/hits?path=/x   -> {"hits": N}   (GET requests received for /x so far)

Any other GET serves what was set for its path (404 when nothing was). With "no_length" the body
is sent without Content-Length and delimited by closing the connection, to test streaming limits.
"""
import json
import os
import signal
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

signal.pthread_sigmask(signal.SIG_SETMASK, [])
LOCK = threading.Lock()
RESOURCES = {}
HITS = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        if self.path != "/_control/set":
            # Any other POST (a token request) is answered like a GET of its path.
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            return self.do_GET()
        length = int(self.headers.get("Content-Length", "0"))
        spec = json.loads(self.rfile.read(length))
        with LOCK:
            RESOURCES[spec["path"]] = spec
        self.send_json(200, {"ok": True})

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_control/hits":
            path = urllib.parse.parse_qs(url.query)["path"][0]
            with LOCK:
                return self.send_json(200, {"hits": HITS.get(path, 0)})
        with LOCK:
            HITS[url.path] = HITS.get(url.path, 0) + 1
            spec = RESOURCES.get(url.path)
        if spec is None:
            return self.send_json(404, {"error": "not found"})
        time.sleep(float(spec.get("delay", 0)))
        body = spec.get("body", "").encode() * int(spec.get("repeat", 1))
        try:
            self.send_response(int(spec.get("status", 200)))
            for name, value in spec.get("headers", {}).items():
                self.send_header(name, value)
            if spec.get("no_length"):
                self.send_header("Connection", "close")
                self.close_connection = True
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # returns at end of file: the test process is gone
    os._exit(0)


if __name__ == "__main__":
    main()
