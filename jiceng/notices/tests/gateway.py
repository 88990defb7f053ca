"""A fake SMS gateway / WeChat API on a local port: answers from a script of status
codes and records what it was sent (the test's outside world, not our database)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class FakeGateway:
    def __init__(self, statuses=(200,), answer=None):
        self.statuses = list(statuses)
        self.answer = answer or {"code": 0}
        self.requests = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, body):
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body}
                )
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                if self.path.startswith("/cgi-bin/token"):
                    status, payload = 200, {"access_token": "T0K", "expires_in": 7200}
                elif self.path.startswith("/cgi-bin/message"):
                    payload = {"errcode": 0, "errmsg": "ok"}
                else:
                    payload = gateway.answer
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._reply(None)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                self._reply(json.loads(self.rfile.read(length) or b"{}"))

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def posts(self):
        return [r for r in self.requests if r["body"] is not None]
