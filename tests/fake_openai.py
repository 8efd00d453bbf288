"""A real local HTTP server speaking the OpenAI chat protocol, with scripted replies.

Tests drive the real `ChatOpenAI` client against it: the HTTP layer, SSE streaming and error
handling are exercised, and the requests received are kept for assertions.
"""

from __future__ import annotations

import json
import re
import time
from collections import deque
from collections.abc import Callable

from tests.local_server import LocalServer, QuietHandler


class FakeOpenAI(LocalServer):
    """`POST /v1/chat/completions` answering with the next scripted reply (JSON or SSE).

    A reply is a text, or an int HTTP status to answer with an error. Use as a context manager.
    `respond`, when given, computes each reply from the request body instead (a model that reads
    its prompt); scripted replies still come first.
    """

    def __init__(self, respond: Callable[[dict], str | int] | None = None) -> None:
        self.respond = respond
        self.replies: deque[str | int] = deque()
        self.requests: list[dict] = []
        super().__init__(_handler(self))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def reply(self, *replies: str | int) -> None:
        self.replies.extend(replies)


def pieces(text: str) -> list[str]:
    """The reply cut as a model would stream it: a word and its following space per chunk."""
    return re.findall(r"\S+\s*|\s+", text)


def _handler(fake: FakeOpenAI) -> type[QuietHandler]:
    class Handler(QuietHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            fake.requests.append({"path": self.path, "body": body})
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._json(404, {"error": {"message": "not found"}})
            if fake.replies:
                reply = fake.replies.popleft()
            else:
                reply = fake.respond(body) if fake.respond else "NON_TROUVÉ"
            if isinstance(reply, int):
                return self._json(reply, {"error": {"message": "scripted error", "type": "server_error"}})
            if body.get("stream"):
                return self._sse(reply, body.get("model", "fake"))
            return self._json(200, _completion(reply, body.get("model", "fake")))

        def _json(self, status: int, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _sse(self, reply: str, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()
            deltas = [{"role": "assistant", "content": ""}] + [{"content": p} for p in pieces(reply)]
            for delta in deltas:
                self._event(_chunk(model, delta, None))
            self._event(_chunk(model, {}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

        def _event(self, payload: dict) -> None:
            self.wfile.write(f"data: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()

    return Handler


def _chunk(model: str, delta: dict, finish_reason: str | None) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
    }


def _completion(reply: str, model: str) -> dict:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
    }
