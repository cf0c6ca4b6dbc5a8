"""Start a real LiteLLM proxy in front of a running emulator, for suites outside this folder.

Usage: python serve_proxy.py EMULATOR_URL [--port N] [--emulator-key KEY] [--logs DIR]
  Run it with the real-clients venv's python. EMULATOR_URL is the emulator's origin; --port 0 (the
  default) picks a free loopback port; DIR (default: a new temporary folder) gets config.yaml and
  proxy.log.
Once the proxy answers its readiness probe, prints one JSON line on stdout:
  {"origin": "http://127.0.0.1:N", "base_url": "http://127.0.0.1:N/v1", "master_key": "sk-…",
   "models": [{"name": "sora-openai", "provider": "openai"}, {"name": "sora-azure", "provider": "azure"}],
   "pid": <the proxy's process group>, "log": "<DIR>/proxy.log"}
then keeps it running until its stdin closes (the caller exited, however it exited) or it gets
SIGTERM, SIGINT or SIGHUP, and stops it with its whole process group. Exits 1 if the proxy cannot
start or dies on its own, saying why on stderr.
"""

import argparse
import json
import os
import select
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from litellm_proxy import FLOW_MODELS, Proxy, ProxyError  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("emulator")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--emulator-key", default="emulator-key")
    parser.add_argument("--logs", type=Path)
    args = parser.parse_args()
    folder = args.logs or Path(tempfile.mkdtemp(prefix="litellm-proxy-"))

    # A signal becomes SystemExit in the main thread, so the `finally` below stops the proxy.
    for number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(number, lambda signum, _: sys.exit(128 + signum))

    proxy = Proxy(args.emulator, args.emulator_key, folder, port=args.port)
    try:
        try:
            proxy.start()
        except ProxyError as e:
            print(f"serve_proxy: {e}\n--- the end of its log:\n{proxy.log_tail(40)}", file=sys.stderr)
            return 1
        info = {
            "origin": proxy.url,
            "base_url": f"{proxy.url}/v1",
            "master_key": proxy.master_key,
            "models": [{"name": name, "provider": provider} for provider, name in FLOW_MODELS.items()],
            "pid": proxy.process.pid,
            "log": str(proxy.log_path),
        }
        print(json.dumps(info), flush=True)
        return wait_for_eof_or_death(proxy)
    finally:
        if proxy.running() or proxy.group_alive():
            proxy.stop()


def wait_for_eof_or_death(proxy):
    """Block until stdin reaches its end (0), or the proxy exits by itself (1)."""
    stdin = sys.stdin.fileno()
    while True:
        # A second's timeout, to notice a proxy that died on its own.
        readable, _, _ = select.select([stdin], [], [], 1.0)
        if readable and os.read(stdin, 4096) == b"":
            return 0
        if not proxy.running():
            print(f"serve_proxy: litellm exited by itself ({proxy.process.returncode}); log: {proxy.log_path}", file=sys.stderr)
            print(proxy.log_tail(40), file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
