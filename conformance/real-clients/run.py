"""Real third-party clients against a running sora-emulator: the official `openai` SDK, directly and
through a real LiteLLM proxy that this script starts and stops.

Usage: python run.py EMULATOR_URL [--logs DIR] [--only CASE ...]
  EMULATOR_URL is the emulator's origin (http://127.0.0.1:8787). Run it with the venv that
  conformance/real-clients/requirements.txt was installed into (`cargo xtask setup` makes it).
  Environment: SORA_EMULATOR_KEY (default emulator-key), SORA_EMULATOR_ADMIN_TOKEN (its --admin-token,
  for /admin/requests). Logs (the proxy's log and config, details.log) go to DIR, by default a new
  temporary folder; they are kept, and printed when a case fails.
Prints one line per case and ends with `real-clients: N passed, M failed`; exits 1 if any failed.
"""

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import proxy_cases  # noqa: E402
import sdk_cases  # noqa: E402
from context import Context, Emulator  # noqa: E402
from harness import Suite  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("emulator")
    parser.add_argument("--logs", type=Path)
    parser.add_argument("--only", nargs="*", help="run only these cases (their needs must be listed too)")
    args = parser.parse_args()
    logs = args.logs or Path(tempfile.mkdtemp(prefix="real-clients-"))
    logs.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(
        args.emulator, os.environ.get("SORA_EMULATOR_KEY", "emulator-key"), os.environ.get("SORA_EMULATOR_ADMIN_TOKEN", "")
    )
    ctx = Context(emulator, logs)
    # A SIGTERM (xtask or CI stopping us) still runs the `finally` that stops the proxy.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    suite = Suite("real-clients")
    sdk_cases.register(suite)
    proxy_cases.register(suite)
    import openai

    print(f"real clients: openai {openai.__version__}, litellm {litellm_version()}, emulator {emulator.url}")
    print(f"logs: {logs}", flush=True)
    started = time.monotonic()
    try:
        suite.run(ctx, only=set(args.only) if args.only else None)
    finally:
        if ctx.proxy is not None and (ctx.proxy.running() or ctx.proxy.group_alive()):
            print("stopping the LiteLLM proxy (a case stopped before its own stop)", flush=True)
            ctx.proxy.stop()
    failed = suite.failed()
    if failed:
        print(f"\n--- {failed} case(s) failed; logs kept in {logs} (details.log: every case and observation)")
        for text in ctx.traces:
            print(f"--- traceback of {text}")
        if ctx.proxy is not None:
            print(f"--- the LiteLLM proxy's log, last lines of {ctx.proxy.log_path}:")
            print(ctx.proxy.log_tail(60))
        print("--- the emulator's last requests:")
        try:
            for r in emulator.requests()[-30:]:
                query = f"?{r['query']}" if r["query"] else ""
                print(f"{r['method']} {r['path']}{query} {r['status']}")
        except Exception as e:  # the emulator may be what broke
            print(f"(cannot read them: {e})")
    print(f"\nreal clients: {time.monotonic() - started:.0f} s")
    print(f"real-clients: {suite.passed()} passed, {failed} failed")
    return 1 if failed else 0


def litellm_version():
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("litellm")
    except PackageNotFoundError:
        return "not installed"


if __name__ == "__main__":
    sys.exit(main())
