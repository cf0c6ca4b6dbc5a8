"""What every case shares: the emulator, its admin API, recorded HTTP exchanges and the log folder."""

import json
import time
import urllib.error
import urllib.request
import warnings
from pathlib import Path

import openai

from harness import printable

# Every videos method of the SDK is marked deprecated (the shutdown date); that is not a failure here.
warnings.filterwarnings("ignore", category=DeprecationWarning)


class Exchange:
    """One HTTP request a client sent and what came back, with monotonic timestamps."""

    def __init__(self, method, url, sent):
        self.method = method
        self.url = url
        self.sent = sent
        self.received = None
        self.status = None
        self.headers = {}

    @property
    def path(self):
        """The URL's path, without the query."""
        parts = self.url.split("?", 1)[0].split("/", 3)
        return "/" + parts[3] if len(parts) > 3 else "/"


class Recorder:
    """httpx event hooks that remember every exchange of a client."""

    def __init__(self):
        self.exchanges = []
        self._open = {}

    def on_request(self, request):
        exchange = Exchange(request.method, str(request.url), time.monotonic())
        self._open[id(request)] = exchange
        self.exchanges.append(exchange)

    def on_response(self, response):
        exchange = self._open.pop(id(response.request), None)
        if exchange is not None:
            exchange.received = time.monotonic()
            exchange.status = response.status_code
            exchange.headers = {k.lower(): v for k, v in response.headers.items()}

    def hooks(self):
        return {"request": [self.on_request], "response": [self.on_response]}

    def since(self, index):
        return self.exchanges[index:]


class Emulator:
    """The emulator's own API and admin API, called without any SDK (urllib)."""

    def __init__(self, url, key, admin_token):
        self.url = url.rstrip("/")
        self.key = key
        self.admin_token = admin_token

    def _call(self, method, path, headers, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        if data is not None:
            request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def admin(self, method, path, body=None):
        status, raw = self._call(method, "/admin" + path, {"x-admin-token": self.admin_token}, body)
        if status != 200:
            raise RuntimeError(f"admin {method} {path} answered {status}: {raw[:300]!r}")
        return json.loads(raw) if raw else None

    def requests(self):
        """The emulator's log of recent API requests (method, path, query, status, auth presence)."""
        return self.admin("GET", "/requests")

    def matching(self, exchanges):
        """Pair a client's exchanges with the last records of the emulator's log, checking they match.

        Only meaningful while nothing else calls the emulator (the cases run one at a time)."""
        records = self.requests()[-len(exchanges) :] if exchanges else []
        pairs = list(zip(exchanges, records))
        seen = [(r["method"], r["path"]) for r in records]
        sent = [(e.method, e.path) for e in exchanges]
        if seen != sent:
            raise AssertionError(f"the emulator logged {seen}, the client sent {sent}")
        return pairs

    # Marks the test's own requests in the emulator's log, to tell them from a proxy's.
    PROBE_QUERY = "probe=real-clients"

    def get_video(self, video_id):
        """GET /v1/videos/{id} with the emulator key: (status, body)."""
        path = f"/v1/videos/{video_id}?{self.PROBE_QUERY}"
        status, raw = self._call("GET", path, {"authorization": f"Bearer {self.key}"})
        return status, json.loads(raw) if raw else None

    def is_probe(self, record):
        return record.get("query") == self.PROBE_QUERY


class Context:
    def __init__(self, emulator, logs: Path):
        self.emulator = emulator
        self.logs = logs
        self.shared = {}
        self._notes = (logs / "details.log").open("a", encoding="utf-8")
        self.proxy = None  # the LiteLLM proxy, once started
        self.traces = []  # tracebacks of cases that raised, printed at the end if any failed

    def note(self, text):
        """Keep `text` in details.log (tracebacks, observed third-party answers)."""
        self._notes.write(text.rstrip() + "\n")
        self._notes.flush()

    def trace(self, text):
        self.traces.append(text)
        self.note(text)

    def observe(self, label, value):
        """Print an observed third-party behaviour (and keep it in details.log), verbatim."""
        line = f"      observed: {label}: {printable(str(value), 2000)}"
        print(line, flush=True)
        self.note(line)

    def sdk(self, base_url, api_key, recorder=None, client_class=openai.OpenAI, **options):
        """An official SDK client; no retries, so every request the test makes is the one it sees."""
        http_client = openai.DefaultHttpxClient(event_hooks=recorder.hooks()) if recorder else None
        return client_class(base_url=base_url, api_key=api_key, max_retries=0, http_client=http_client, **options)
