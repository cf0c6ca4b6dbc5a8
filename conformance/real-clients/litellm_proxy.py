"""A real LiteLLM proxy in front of the emulator: its generated config, and the process that serves it.

One place for both, used by the Python suite (`proxy_cases.py`) and by `serve_proxy.py` (the launcher
xtask starts for the browser suites), so every run proxies the same models the same way.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import yaml

# The proxy's model for each provider under test: `openai/` (the emulator's `/v1`, Bearer key) and
# `azure/` (the emulator's origin: LiteLLM builds `<origin>/openai/v1/videos`, sends `api-key`).
FLOW_MODELS = {"openai": "sora-openai", "azure": "sora-azure"}
READY_TIMEOUT_S = 180
STOP_TIMEOUT_S = 20


class ProxyError(RuntimeError):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def config(emulator_url, emulator_key, master_key):
    """The proxy's config: the two flow models, one with `api_version` set, two with a wrong upstream key."""
    emulator_url = emulator_url.rstrip("/")
    good = {"api_key": emulator_key}
    bad = {"api_key": "not-the-emulator-key"}
    models = [
        (FLOW_MODELS["openai"], "openai/sora-2", f"{emulator_url}/v1", good),
        (FLOW_MODELS["azure"], "azure/sora-2", emulator_url, good),
        ("sora-azure-preview", "azure/sora-2", emulator_url, {**good, "api_version": "preview"}),
        ("bad-key-openai", "openai/sora-2", f"{emulator_url}/v1", bad),
        ("bad-key-azure", "azure/sora-2", emulator_url, bad),
    ]
    return {
        "model_list": [
            {"model_name": name, "litellm_params": {"model": model, "api_base": base, **extra}}
            for name, model, base, extra in models
        ],
        "general_settings": {"master_key": master_key},
    }


class Proxy:
    """`litellm --config … --host 127.0.0.1 --port …` in a process group of its own.

    `folder` gets `config.yaml` and `proxy.log` and is its working directory (so no stray `.env` is read).
    """

    def __init__(self, emulator_url, emulator_key, folder: Path, port=0, note=None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.master_key = "sk-sora-studio-" + secrets.token_hex(8)
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log_path = self.folder / "proxy.log"
        self.process = None
        self._config = config(emulator_url, emulator_key, self.master_key)
        self._note = note or (lambda text: None)

    def config(self):
        return self._config

    def start(self):
        """Start it and poll its readiness probe; (seconds it took, the probe's answer)."""
        config_path = self.folder / "config.yaml"
        config_path.write_text(yaml.safe_dump(self._config, sort_keys=False))
        litellm = Path(sys.executable).with_name("litellm")
        # Nothing from the caller's environment configures the proxy: only the file above does.
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("OPENAI_", "AZURE_", "LITELLM_", "DATABASE_", "REDIS_")) and k != "LANGFUSE_HOST"
        }
        env["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"  # no download of the price list at start
        env["PYTHONUNBUFFERED"] = "1"
        # Without --host it binds 0.0.0.0: loopback only, it holds a key.
        command = [str(litellm), "--config", str(config_path), "--host", "127.0.0.1", "--port", str(self.port)]
        self._note("starting: " + " ".join(command))
        with self.log_path.open("wb") as log:
            # Its own session and process group: stopping it stops every process it started.
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                cwd=self.folder, start_new_session=True,
            )
        started = time.monotonic()
        last = "no answer yet"
        while time.monotonic() - started < READY_TIMEOUT_S:
            if self.process.poll() is not None:
                raise ProxyError(f"litellm exited with {self.process.returncode} before it was ready (log: {self.log_path})")
            try:
                with urllib.request.urlopen(f"{self.url}/health/readiness", timeout=5) as response:
                    body = response.read().decode()
                    if response.status == 200 and '"healthy"' in body:
                        return time.monotonic() - started, body
                    last = f"{response.status} {body[:200]}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
                last = str(e)
            time.sleep(0.25)  # polling a readiness probe, not guessing a start-up time
        raise ProxyError(f"litellm not ready after {READY_TIMEOUT_S} s (last: {last}; log: {self.log_path})")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def group_alive(self):
        if self.process is None:
            return False
        try:
            os.killpg(self.process.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def stop(self):
        """SIGTERM to the whole group, SIGKILL after a grace period; True if it went on SIGTERM."""
        if self.process is None:
            return True
        gentle = True
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline and (self.process.poll() is None or self.group_alive()):
            time.sleep(0.1)
        if self.process.poll() is None or self.group_alive():
            gentle = False
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
        return gentle

    def log_tail(self, lines=120):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError as e:
            return f"(no proxy log: {e})"
