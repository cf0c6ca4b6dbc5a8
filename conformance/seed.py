"""Prepares an emulator for the conformance run and writes schemathesis dictionaries of real ids.

Usage: python seed.py ORIGIN KEY OUTPUT_DIR
  - raises the emulator's limits through /admin/config (saving the previous settings to
    OUTPUT_DIR/settings.json so run.sh can restore them),
  - creates two small jobs, waits for them to succeed and fetches one's low-quality video,
  - writes OUTPUT_DIR/job_ids.dict and OUTPUT_DIR/generation_ids.dict (libFuzzer format) so the
    fuzzer also reaches the success paths of get/delete/content, not only their 404s.
Admin calls send SORA_EMULATOR_ADMIN_TOKEN (the emulator's --admin-token). Standard library only.
"""

import json
import os
import sys
import time
import urllib.request

API = "/openai/v1/video/generations"


def call(method: str, url: str, body=None, key=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("content-type", "application/json")
    if key is not None:
        request.add_header("api-key", key)
    elif "/admin/" in url:
        request.add_header("x-admin-token", os.environ.get("SORA_EMULATOR_ADMIN_TOKEN", ""))
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else None


def finished_job(origin: str, key: str, prompt: str) -> dict:
    """Creates a small job and waits until it has succeeded."""
    job = call(
        "POST",
        f"{origin}{API}/jobs?api-version=preview",
        {"model": "sora", "prompt": prompt, "width": 480, "height": 480, "n_seconds": 1},
        key,
    )
    deadline = time.time() + 120
    while job["status"] not in ("succeeded", "failed", "cancelled"):
        if time.time() > deadline:
            sys.exit(f"seed job {job['id']} did not finish")
        time.sleep(0.1)
        job = call("GET", f"{origin}{API}/jobs/{job['id']}?api-version=preview", key=key)
    if job["status"] != "succeeded":
        sys.exit(f"seed job failed: {job}")
    return job


def main() -> None:
    origin, key, out = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    previous = call("GET", f"{origin}/admin/config")
    with open(f"{out}/settings.json", "w", encoding="utf-8") as handle:
        json.dump(previous, handle)
    call("POST", f"{origin}/admin/config", {"rpm": 0, "max_running": 100000, "speed": 1000})
    call("DELETE", f"{origin}/admin/faults")
    # Separate jobs: the fuzzer may delete the one whose id it is given, and the content
    # operations must keep finding the other's generation.
    target = finished_job(origin, key, "conformance seed: get and delete me")
    content = finished_job(origin, key, "conformance seed: content")
    # Render (and so cache) the low-quality rendition now rather than inside a timed request.
    generation = content["generations"][0]["id"]
    urllib.request.urlopen(
        urllib.request.Request(
            f"{origin}{API}/{generation}/content/video?quality=low", headers={"api-key": key}
        ),
        timeout=120,
    ).read()
    with open(f"{out}/job_ids.dict", "w", encoding="utf-8") as handle:
        handle.write(f'"{target["id"]}"\n')
    with open(f"{out}/generation_ids.dict", "w", encoding="utf-8") as handle:
        handle.write(f'"{content["generations"][0]["id"]}"\n')
    print(f"seeded job {target['id']} and generation {content['generations'][0]['id']}")


if __name__ == "__main__":
    main()
