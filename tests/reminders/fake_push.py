"""A fake Web Push service on 127.0.0.1 that does what a real one checks, and lets tests read
what a browser would get.

Each POST must carry a valid VAPID JWT (RFC 8292: signature by the key in `k`, audience this
origin, a future expiry, a subject) and an aes128gcm body (RFC 8291). The service decrypts the
body with the subscriber keys the test registered and keeps it with the headers. The last path
segment picks the answer: "gone" → 410, "missing" → 404, "broken" → 500, "redirect" → 307 to
`redirect_to`, else 201. `hits` lists the path of every request, answered or not.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

ANSWERS = {"gone": 410, "missing": 404, "broken": 500}


def b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    claims: dict[str, Any]
    vapid_key: str  # the `k` of the Authorization header (the app's public key)
    payload: dict[str, Any]


@dataclass
class FakePushService:
    port: int = 0
    keys: dict[str, tuple[ec.EllipticCurvePrivateKey, bytes]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    hits: list[str] = field(default_factory=list)
    redirect_to: str = ""

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def endpoint(self, name: str, private_key: ec.EllipticCurvePrivateKey, auth: str) -> str:
        self.keys[name] = (private_key, b64decode(auth))
        return f"{self.origin}/push/{name}"

    def check(self, path: str, headers: dict[str, str], body: bytes) -> int:
        name = path.rsplit("/", 1)[-1]
        auth = headers.get("authorization", "")
        scheme, _, params = auth.partition(" ")
        if scheme.lower() != "vapid" or not Vapid02.verify(auth):
            self.errors.append("VAPID signature")
            return 401
        parts = dict(item.split("=", 1) for item in params.split(","))
        claims = json.loads(b64decode(parts["t"].split(".")[1]))
        if claims.get("aud") != self.origin or int(claims.get("exp", 0)) <= time.time():
            self.errors.append(f"VAPID claims {claims}")
            return 403
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            self.errors.append("VAPID subject")
            return 403
        if headers.get("content-encoding") != "aes128gcm":
            self.errors.append("encoding")
            return 400
        private_key, secret = self.keys[name]
        plain = http_ece.decrypt(body, private_key=private_key, auth_secret=secret,
                                 version="aes128gcm")
        self.received.append(
            Received(path, headers, claims, parts["k"], json.loads(plain.decode("utf-8")))
        )
        return ANSWERS.get(name.split("-")[0], 201)


def start(service: FakePushService) -> tuple[ThreadingHTTPServer, threading.Thread]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            service.hits.append(self.path)
            if self.path.rsplit("/", 1)[-1].startswith("redirect"):
                self.send_response(307)
                self.send_header("Location", service.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            try:
                status = service.check(self.path, headers, body)
            except Exception as error:  # a broken request must fail the test, not hang it
                service.errors.append(repr(error))
                status = 400
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.port = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True, name="fake-push")
    thread.start()
    return server, thread
