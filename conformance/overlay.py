"""Writes the spec with the documented overlay applied: conformance/run.sh tests against that copy.

openapi.yaml stays a verbatim copy of Microsoft's document. Each patch below fixes one place where
the spec contradicts itself, the service docs or the wire behaviour recorded in
shared/reference/azure-video-api/DIGEST.md (section numbers in brackets); nothing else changes.

Usage: python overlay.py SOURCE.yaml OUTPUT.yaml
"""

import sys

import yaml


def patch(spec: dict) -> None:
    schemas = spec["components"]["schemas"]

    # [6.9] `limit` is `required: true` yet declares `default: 10`; a default only means something
    # for an optional parameter, and the emulator (like the service's clients) treats it as optional.
    for parameter in spec["paths"]["/video/generations/jobs"]["get"]["parameters"]:
        if parameter.get("name") == "limit":
            parameter["required"] = False

    # [4, 6.1] Nothing is marked nullable, but real jobs carry `"finished_at": null` and
    # `"failure_reason": null` until they end (Microsoft's PyRIT fixtures); `expires_at` likewise.
    job = schemas["VideoGenerationJob"]["properties"]
    for name in ("finished_at", "expires_at", "failure_reason"):
        job[name]["nullable"] = True

    # [6.2] The thumbnail is declared as the non-standard `image/jpg`; servers send the registered
    # `image/jpeg`. Both are allowed (the original entry is kept).
    thumbnail = spec["paths"]["/video/generations/{generation-id}/content/thumbnail"]["get"]
    content = thumbnail["responses"]["200"]["content"]
    content["image/jpeg"] = content["image/jpg"]


def main() -> None:
    source, output = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as handle:
        spec = yaml.safe_load(handle)
    patch(spec)
    with open(output, "w", encoding="utf-8") as handle:
        yaml.safe_dump(spec, handle, sort_keys=False, allow_unicode=True)


if __name__ == "__main__":
    main()
