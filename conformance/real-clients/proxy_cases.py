"""A real LiteLLM proxy in front of the emulator, driven with the official `openai` SDK.

The proxy gets the config `litellm_proxy.py` generates: one model through LiteLLM's `openai/`
provider (the emulator's OpenAI shape, `<emulator>/v1`, Bearer key) and one through its `azure/`
provider (`api_base` the emulator's origin: LiteLLM builds `<origin>/openai/v1/videos` and sends the
`api-key` header; no `api-version` unless one is configured), plus models that check what a
configured `api_version` and a wrong upstream key do. The proxy requires its own master key.
Cases named `litellm 1.108.7: …` assert what this LiteLLM version does where it differs from the
service, so an upgrade that changes it is noticed.
"""

import base64
import urllib.error
import urllib.parse
import urllib.request

import openai

from context import Recorder
from harness import check, equal
from litellm_proxy import FLOW_MODELS, STOP_TIMEOUT_S, Proxy
from sdk_cases import check_mp4

PROMPT = "A lighthouse beam sweeping over a stormy sea"
REMIX_PROMPT = "The same lighthouse at dawn, the sea calm"
# The providers under test: proxy model name, LiteLLM provider, upstream path prefix, auth header sent.
PROVIDERS = {
    "openai": {"model": FLOW_MODELS["openai"], "prefix": "/v1/videos", "auth": "authorization"},
    "azure": {"model": FLOW_MODELS["azure"], "prefix": "/openai/v1/videos", "auth": "api-key"},
}


def decode_proxy_id(video_id):
    """LiteLLM's ids: `video_` + base64 of `litellm:custom_llm_provider:P;model_id:M;video_id:UPSTREAM;…`."""
    check(video_id.startswith("video_"), f"proxy id {video_id!r} does not start with video_")
    encoded = video_id[len("video_") :]
    try:
        text = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True).decode()
    except ValueError as e:
        raise AssertionError(f"proxy id {video_id!r} is not base64 after video_: {e}") from e
    fields = {}
    for part in text.split(";"):
        key, _, value = part.rpartition(":")
        fields[key] = value
    return text, fields


def upstream_records(ctx, upstream_id):
    """What the proxy asked the emulator about one upstream video (the test's own probes left out)."""
    return [r for r in ctx.emulator.requests() if upstream_id in r["path"] and not ctx.emulator.is_probe(r)]


def check_upstream(ctx, records, provider, what):
    """The proxy called the emulator where and how this provider should, and nothing else."""
    spec = PROVIDERS[provider]
    check(records, f"{what}: the emulator saw no request for it")
    for r in records:
        check(r["path"] == spec["prefix"] or r["path"].startswith(spec["prefix"] + "/"), f"{what}: upstream {r['method']} {r['path']}")
        if spec["auth"] == "api-key":
            check(r["api_key_present"] and not r["authorization_present"], f"{what}: {r['path']} not sent with api-key alone")
        else:
            check(r["authorization_present"] and not r["api_key_present"], f"{what}: {r['path']} not sent with Bearer alone")


def register(suite):
    @suite.case("litellm: proxy starts with the generated config and serves its models")
    def start(ctx):
        ctx.proxy = Proxy(ctx.emulator.url, ctx.emulator.key, ctx.logs / "litellm", note=ctx.note)
        seconds, body = ctx.proxy.start()
        ctx.observe("readiness", f"{body} after {seconds:.1f} s")
        client = ctx.sdk(f"{ctx.proxy.url}/v1", ctx.proxy.master_key)
        names = sorted(m.id for m in client.models.list().data)
        equal(names, sorted(m["model_name"] for m in ctx.proxy.config()["model_list"]), "models the proxy serves")
        ctx.shared["proxy_client"] = client

    flows = {}
    for provider, spec in PROVIDERS.items():
        flows[provider] = register_flow(suite, provider, spec, start)

    register_litellm_behaviour(suite, start, flows)

    @suite.case("litellm: the proxy stops on SIGTERM with its whole process group")
    def stop(ctx):
        check(ctx.proxy is not None, "the proxy was never started")
        check(ctx.proxy.running(), f"the proxy had already exited ({ctx.proxy.process.returncode})")
        gentle = ctx.proxy.stop()
        check(gentle, f"the proxy ignored SIGTERM for {STOP_TIMEOUT_S} s and was killed")
        check(not ctx.proxy.group_alive(), "processes of the proxy's group are still running")
        try:
            urllib.request.urlopen(f"{ctx.proxy.url}/health/liveliness", timeout=2)
            raise AssertionError("the proxy's port still answers")
        except urllib.error.URLError:
            pass


def register_flow(suite, provider, spec, start):
    model = spec["model"]

    @suite.case(f"litellm {provider}/: create 1280x720 8 s, the proxy's own id, poll it to completed", needs=[start])
    def create(ctx):
        recorder = Recorder()
        client = ctx.sdk(f"{ctx.proxy.url}/v1", ctx.proxy.master_key, recorder)
        created = client.videos.create(model=model, prompt=PROMPT, seconds="8", size="1280x720")
        text, fields = decode_proxy_id(created.id)
        ctx.observe(f"{provider} proxy id decodes to", text)
        equal(fields.get("litellm:custom_llm_provider"), provider, "provider in the id")
        equal(fields.get("model_id"), "sora-2", "model in the id")
        upstream = fields.get("video_id", "")
        check(upstream.startswith("video_") and upstream != created.id, f"upstream id {upstream!r} in the proxy id")
        status, body = ctx.emulator.get_video(upstream)
        equal(status, 200, f"the emulator's GET of {upstream}")
        equal((body["prompt"], body["size"], body["seconds"]), (PROMPT, "1280x720", "8"), "what the emulator was asked")
        done = client.videos.poll(created.id)
        equal(done.id, created.id, "id answered while polling")
        equal((done.status, done.size, done.seconds, done.progress), ("completed", "1280x720", "8", 100), "polled video")
        for exchange in recorder.exchanges:
            sent = urllib.parse.unquote(exchange.path)
            check(sent in ("/v1/videos", f"/v1/videos/{created.id}"), f"the SDK called {sent} (not the id it was given)")
        records = upstream_records(ctx, upstream)
        check_upstream(ctx, records, provider, "polls")
        check(all(r["query"] is None for r in records), f"upstream queries {[r['query'] for r in records]}")
        creates = [r for r in ctx.emulator.requests() if r["method"] == "POST" and r["path"] == spec["prefix"]]
        check_upstream(ctx, creates[-1:], provider, "create")
        ctx.observe(f"{provider} upstream calls", sorted({f"{r['method']} {r['path'].replace(upstream, '{id}')}" for r in records}))
        ctx.shared[provider] = {"client": client, "video": done, "created": created, "upstream": upstream, "recorder": recorder}

    @suite.case(f"litellm {provider}/: download the video: an MP4 of 1280x720, 8 s", needs=[create])
    def download(ctx):
        flow = ctx.shared[provider]
        content = flow["client"].videos.download_content(flow["video"].id)
        equal(content.response.headers.get("content-type"), "video/mp4", "content-type")
        check_mp4(content.content, 1280, 720, 8, "the video")
        flow["mp4"] = content.content

    @suite.case(f"litellm {provider}/: remix with the proxy's id, poll to completed", needs=[create])
    def remix(ctx):
        flow = ctx.shared[provider]
        client, parent = flow["client"], flow["video"]
        queued = client.videos.remix(parent.id, prompt=REMIX_PROMPT)
        _, fields = decode_proxy_id(queued.id)
        equal(fields.get("litellm:custom_llm_provider"), provider, "provider in the remix id")
        upstream = fields.get("video_id", "")
        check(upstream.startswith("video_") and upstream != flow["upstream"], f"upstream remix id {upstream!r}")
        done = client.videos.poll(queued.id)
        equal(done.id, queued.id, "id answered while polling the remix")
        equal((done.status, done.size, done.seconds), ("completed", "1280x720", "8"), "polled remix")
        status, body = ctx.emulator.get_video(upstream)
        equal(status, 200, "the emulator's GET of the remix")
        equal((body["remixed_from_video_id"], body["prompt"]), (flow["upstream"], REMIX_PROMPT), "the remix upstream")
        check_upstream(ctx, upstream_records(ctx, upstream), provider, "remix polls")
        remix_calls = [r for r in upstream_records(ctx, flow["upstream"]) if r["path"].endswith("/remix")]
        equal(len(remix_calls), 1, "upstream remix calls")
        check_mp4(client.videos.download_content(done.id).content, 1280, 720, 8, "the remix")
        flow["remix"] = done

    return {"create": create, "download": download, "remix": remix}


def register_litellm_behaviour(suite, start, flows):
    @suite.case("litellm 1.108.7: content?variant=thumbnail|spritesheet answers the MP4 (variant dropped)",
                needs=[flows[p]["download"] for p in PROVIDERS])
    def variant_dropped(ctx):
        for provider in PROVIDERS:
            flow = ctx.shared[provider]
            for variant in ("thumbnail", "spritesheet"):
                content = flow["client"].videos.download_content(flow["video"].id, variant=variant)
                equal(content.response.headers.get("content-type"), "video/mp4", f"{provider} {variant} content-type")
                check(content.content == flow["mp4"], f"{provider} {variant}: not the MP4's bytes")
            queries = {r["query"] for r in upstream_records(ctx, flow["upstream"]) if r["path"].endswith("/content")}
            equal(queries, {None}, f"{provider}: upstream content queries")

    @suite.case("litellm 1.108.7: video objects lose prompt and poll hint, model is the proxy's name",
                needs=[flows[p]["remix"] for p in PROVIDERS])
    def objects(ctx):
        for provider, spec in PROVIDERS.items():
            flow = ctx.shared[provider]
            for video in (flow["created"], flow["video"]):
                equal(video.prompt, None, f"{provider}: prompt through the proxy")
                equal(video.model, spec["model"], f"{provider}: model through the proxy")
            hints = [e.headers.get("openai-poll-after-ms") for e in flow["recorder"].exchanges]
            equal(set(hints), {None}, f"{provider}: openai-poll-after-ms through the proxy")
            # The parent's upstream id, not the proxy's id for it.
            equal(flow["remix"].remixed_from_video_id, flow["upstream"], f"{provider}: remixed_from_video_id")

    @suite.case("litellm 1.108.7: list fails, never reaching the emulator", needs=[start])
    def listing(ctx):
        client = ctx.shared["proxy_client"]
        before = len([r for r in ctx.emulator.requests() if r["method"] == "GET" and r["path"].endswith("/videos")])
        try:
            client.videos.list()
            raise AssertionError("list through the proxy succeeded")
        except openai.BadRequestError as e:
            ctx.observe("list without a provider", f"{e.status_code} {e.body}")
            check("LLM Provider NOT provided" in str(e.body), "not the 'LLM Provider NOT provided' 400")
        try:
            client.videos.list(extra_query={"custom_llm_provider": "azure"})
            raise AssertionError("list with custom_llm_provider=azure succeeded")
        except openai.InternalServerError as e:
            ctx.observe("list with custom_llm_provider=azure", f"{e.status_code} {e.body}")
            check("api_base is required" in str(e.body), "not the 'api_base is required' 500")
        after = len([r for r in ctx.emulator.requests() if r["method"] == "GET" and r["path"].endswith("/videos")])
        equal(after, before, "list requests that reached the emulator")

    @suite.case("litellm 1.108.7: no delete route (405), the video stays", needs=[flows["openai"]["create"]])
    def no_delete(ctx):
        flow = ctx.shared["openai"]
        try:
            flow["client"].videos.delete(flow["video"].id)
            raise AssertionError("delete through the proxy succeeded")
        except openai.APIStatusError as e:
            ctx.observe("delete", f"{e.status_code} {e.body}")
            equal(e.status_code, 405, "status of DELETE")
        equal(ctx.emulator.get_video(flow["upstream"])[0], 200, "the emulator's GET after the refused delete")

    @suite.case("litellm 1.108.7: its own key check without a database (wrong: 400, none: 500)", needs=[start])
    def proxy_auth(ctx):
        wrong = ctx.sdk(f"{ctx.proxy.url}/v1", "sk-not-the-master-key")
        try:
            wrong.videos.retrieve("video_123")
            raise AssertionError("a wrong proxy key was accepted")
        except openai.APIStatusError as e:
            ctx.observe("wrong proxy key", f"{e.status_code} {e.body}")
            equal((e.status_code, (e.body or {}).get("type")), (400, "no_db_connection"), "wrong key answer")
        request = urllib.request.Request(f"{ctx.proxy.url}/v1/videos/video_123")
        try:
            urllib.request.urlopen(request, timeout=30)
            raise AssertionError("no proxy key was accepted")
        except urllib.error.HTTPError as e:
            body = e.read()[:300]
            ctx.observe("no proxy key", f"{e.code} {body!r}")
            equal(e.code, 500, "status without a key")

    @suite.case("litellm: an upstream 401 comes back as 401 with the emulator's message", needs=[start])
    def upstream_401(ctx):
        client = ctx.shared["proxy_client"]
        direct = ctx.sdk(f"{ctx.emulator.url}/v1", "not-the-emulator-key")
        try:
            direct.videos.create(model="sora-2", prompt=PROMPT)
            raise AssertionError("the emulator accepted a wrong key")
        except openai.AuthenticationError as e:
            message = e.body["message"]
        for provider in PROVIDERS:
            try:
                client.videos.create(model=f"bad-key-{provider}", prompt=PROMPT)
                raise AssertionError(f"{provider}: a create with a wrong upstream key succeeded")
            except openai.AuthenticationError as e:
                ctx.observe(f"{provider} upstream 401 through the proxy", e.body)
                equal(e.status_code, 401, f"{provider}: status")
                equal(e.body.get("type"), "authentication_error", f"{provider}: error type")
                check(message in e.body.get("message", ""), f"{provider}: the emulator's message {message!r} is not in it")

    @suite.case("litellm 1.108.7 azure/ with api_version: the create works, a get puts the id after ?api-version=",
                needs=[start])
    def azure_api_version(ctx):
        client = ctx.sdk(f"{ctx.proxy.url}/v1", ctx.proxy.master_key)
        created = client.videos.create(model="sora-azure-preview", prompt=PROMPT, seconds="4", size="720x1280")
        _, fields = decode_proxy_id(created.id)
        upstream = fields["video_id"]
        status, body = ctx.emulator.get_video(upstream)
        equal((status, body and body["prompt"]), (200, PROMPT), "the emulator's GET of the created video")
        posts = [r for r in ctx.emulator.requests() if r["method"] == "POST" and r["path"] == "/openai/v1/videos"]
        check_upstream(ctx, posts[-1:], "azure", "create")
        equal(posts[-1]["query"], "api-version=preview", "the create's upstream query")
        # LiteLLM appends `/{id}` to a base URL that already ends in `?api-version=preview`.
        try:
            client.videos.retrieve(created.id)
            raise AssertionError("retrieve worked: LiteLLM builds the URL right now; check the whole flow here")
        except openai.APIStatusError as e:
            ctx.observe("get with api_version configured", f"{e.status_code} {str(e.body)[:300]}")
        gets = [r for r in ctx.emulator.requests() if upstream in urllib.parse.unquote(r["query"] or "")]
        check(gets, "the emulator saw no request with the id in its query")
        for r in gets:
            equal((r["method"], r["path"]), ("GET", "/openai/v1/videos"), "the get's upstream request")
            equal(urllib.parse.unquote(r["query"]), f"api-version=preview/{upstream}", "the get's upstream query")
