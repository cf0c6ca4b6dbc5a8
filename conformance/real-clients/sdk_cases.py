"""The official `openai` Python SDK against the emulator, as its users call it."""

import openai

from context import Recorder
from harness import check, equal
from media import parse_jpeg, parse_mp4

PROMPT = "A paper boat drifting down a rain gutter"
REMIX_PROMPT = "The same paper boat, now at night under street lights"
# The SDK's own default wait between polls when no `openai-poll-after-ms` came back.
SDK_DEFAULT_POLL_S = 1.0


def check_mp4(data, width, height, seconds, what):
    mp4 = parse_mp4(data)
    track = mp4.video_track()
    equal((track.width, track.height), (width, height), f"{what}: video track size")
    check(abs(mp4.seconds - seconds) < 0.1, f"{what}: duration {mp4.seconds:.3f} s, expected {seconds} s")
    return mp4


def check_video(video, *, status, model, seconds, size, what):
    equal(video.status, status, f"{what}: status")
    equal(video.model, model, f"{what}: model")
    equal(video.seconds, seconds, f"{what}: seconds")
    equal(video.size, size, f"{what}: size")
    check(video.id.startswith("video_"), f"{what}: id {video.id!r} does not start with video_")
    if status == "completed":
        equal(video.progress, 100, f"{what}: progress")
        check(video.completed_at is not None, f"{what}: completed without completed_at")
        check(video.expires_at is not None and video.expires_at > video.completed_at, f"{what}: expires_at")


def download(ctx, variant, content_type):
    """The shared video's `variant` through the SDK, checked to come as `content_type`."""
    content = ctx.shared["client"].videos.download_content(ctx.shared["video"].id, variant=variant)
    equal(content.response.headers.get("content-type"), content_type, "content-type")
    return content.content


def register(suite):
    @suite.case("sdk: create_and_poll (sora-2, 4 s, 720x1280)")
    def create_and_poll(ctx):
        recorder = Recorder()
        client = ctx.sdk(f"{ctx.emulator.url}/v1", ctx.emulator.key, recorder)
        video = client.videos.create_and_poll(model="sora-2", prompt=PROMPT, seconds="4", size="720x1280")
        check_video(video, status="completed", model="sora-2", seconds="4", size="720x1280", what="the video")
        equal(video.prompt, PROMPT, "prompt")
        equal(video.remixed_from_video_id, None, "remixed_from_video_id")
        ctx.shared["client"] = client
        ctx.shared["video"] = video
        ctx.shared["create_recorder"] = recorder

    @suite.case("sdk: create_and_poll waits what openai-poll-after-ms says", needs=[create_and_poll])
    def poll_header(ctx):
        video = ctx.shared["video"]
        recorder = ctx.shared["create_recorder"]
        polls = [e for e in recorder.exchanges if e.method == "GET" and e.path == f"/v1/videos/{video.id}"]
        check(len(polls) >= 3, f"only {len(polls)} polls: too few waits to judge (the emulator is too fast)")
        hint = polls[0].headers.get("openai-poll-after-ms")
        check(hint is not None, "the first poll's answer has no openai-poll-after-ms header")
        hint_s = int(hint) / 1000
        check(hint_s < SDK_DEFAULT_POLL_S * 0.6, f"hint {hint} ms is too close to the SDK default to tell apart")
        # openai 3.57.0 keeps the first poll's hint for every later wait (it sets poll_interval_ms once).
        gaps = [later.sent - earlier.received for earlier, later in zip(polls, polls[1:])]
        shown = ", ".join(f"{g * 1000:.0f}" for g in gaps)
        ctx.observe("poll waits (ms) after a first hint of " + hint + " ms", shown)
        check(all(g >= hint_s - 0.005 for g in gaps), f"a wait shorter than the {hint} ms hint: {shown} ms")
        check(all(g < SDK_DEFAULT_POLL_S * 0.95 for g in gaps), f"a wait as long as the SDK default: {shown} ms")
        check(polls[-1].headers.get("openai-poll-after-ms") is None, "a completed video still carries a poll hint")
        # The emulator saw exactly these polls (no hidden retries).
        seen = [r for r in ctx.emulator.requests() if r["method"] == "GET" and r["path"] == f"/v1/videos/{video.id}"]
        equal(len(seen), len(polls), "polls logged by the emulator")

    @suite.case("sdk: download_content video is an MP4 of 720x1280, 4 s", needs=[create_and_poll])
    def content_video(ctx):
        data = download(ctx, "video", "video/mp4")
        mp4 = check_mp4(data, 720, 1280, 4, "the video")
        ctx.observe("MP4", f"{len(data)} bytes, brand {mp4.brand}, {mp4.seconds:.2f} s")
        ctx.shared["mp4"] = data

    @suite.case("sdk: download_content thumbnail is a JPEG of the video's size", needs=[create_and_poll])
    def content_thumbnail(ctx):
        data = download(ctx, "thumbnail", "image/jpeg")
        jpeg = parse_jpeg(data)
        equal((jpeg.width, jpeg.height), (720, 1280), "thumbnail size")
        ctx.shared["thumbnail"] = (jpeg, len(data))

    @suite.case("sdk: download_content spritesheet is a JPEG grid wider than the thumbnail", needs=[content_thumbnail])
    def content_spritesheet(ctx):
        data = download(ctx, "spritesheet", "image/jpeg")
        sheet = parse_jpeg(data)
        thumbnail, thumbnail_bytes = ctx.shared["thumbnail"]
        ctx.observe(
            "spritesheet vs thumbnail",
            f"{sheet.width}x{sheet.height} in {len(data)} bytes vs "
            f"{thumbnail.width}x{thumbnail.height} in {thumbnail_bytes} bytes",
        )
        check(sheet.width > thumbnail.width, f"the sheet ({sheet.width} px) is not wider than one frame")
        check(sheet.height < thumbnail.height, f"the sheet's tiles ({sheet.height} px high) are not smaller frames")

    @suite.case("sdk: remix, poll to completed, remixed_from_video_id is the parent", needs=[create_and_poll])
    def remix(ctx):
        client, video = ctx.shared["client"], ctx.shared["video"]
        queued = client.videos.remix(video.id, prompt=REMIX_PROMPT)
        check(queued.id != video.id, "the remix has its parent's id")
        equal(queued.status, "queued", "status of the remix as created")
        equal(queued.remixed_from_video_id, video.id, "remixed_from_video_id as created")
        done = client.videos.poll(queued.id)
        check_video(done, status="completed", model="sora-2", seconds="4", size="720x1280", what="the remix")
        equal(done.id, queued.id, "id while polling")
        equal(done.prompt, REMIX_PROMPT, "prompt")
        equal(done.remixed_from_video_id, video.id, "remixed_from_video_id")
        check_mp4(client.videos.download_content(done.id).content, 720, 1280, 4, "the remix")
        ctx.shared["remix"] = done

    @suite.case("sdk: list has both, newest first; order=asc; limit=1 pages through after", needs=[remix])
    def listing(ctx):
        client, video, remixed = ctx.shared["client"], ctx.shared["video"], ctx.shared["remix"]
        page = client.videos.list(limit=100)
        ids = [v.id for v in page.data]
        check(video.id in ids and remixed.id in ids, f"list lacks the video or its remix: {ids}")
        check(ids.index(remixed.id) < ids.index(video.id), "the remix (newer) is not listed before its parent")
        equal(page.has_more, False, "has_more with every video on one page")
        ascending = [v.id for v in client.videos.list(limit=100, order="asc").data]
        equal(ascending, ids[::-1], "order=asc")
        paged = [v.id for v in client.videos.list(limit=1)]  # the SDK follows last_id as `after`
        equal(paged, ids, "every page of limit=1 (auto-pagination)")

    @suite.case("sdk: edit by id, poll to completed (JSON: the typed method refuses {id})", needs=[create_and_poll])
    def edit_by_id(ctx):
        client, video = ctx.shared["client"], ctx.shared["video"]
        # openai 3.57.0 sends `video` as a file part only: {"id": ...} fails in the SDK itself.
        try:
            client.videos.edit(prompt="Make it dusk", video={"id": video.id})
            refused = None
        except RuntimeError as e:  # the SDK's own words: "Expected entry at `video` to be bytes, …"
            if "Expected entry at `video`" not in str(e):
                raise
            refused = str(e)
        ctx.observe("openai 3.57.0 videos.edit(video={'id': ...})", refused or "accepted")
        check(refused is not None, "the typed edit now accepts {id}: use it here instead of client.post")
        body = {"prompt": "Make it dusk", "video": {"id": video.id}}
        edited = client.post("/videos/edits", body=body, cast_to=openai.types.Video)
        edited = client.videos.poll(edited.id)
        check_video(edited, status="completed", model="sora-2", seconds="4", size="720x1280", what="the edit")
        equal(edited.prompt, "Make it dusk", "prompt")

    @suite.case("sdk: extension by id: seconds is the new segment, the answer the total", needs=[create_and_poll])
    def extend_by_id(ctx):
        client, video = ctx.shared["client"], ctx.shared["video"]
        # openai 3.57.0 (from the API's spec): "seconds: Length of the newly generated extension segment".
        body = {"prompt": "The boat reaches a river", "seconds": "4", "video": {"id": video.id}}
        extended = client.post("/videos/extensions", body=body, cast_to=openai.types.Video)
        extended = client.videos.poll(extended.id)
        check_video(extended, status="completed", model="sora-2", seconds="8", size="720x1280", what="the extension")
        check_mp4(client.videos.download_content(extended.id).content, 720, 1280, 8, "the extension")

    @suite.case("sdk: edit of an uploaded MP4 (the typed method)", needs=[content_video])
    def edit_upload(ctx):
        client, mp4 = ctx.shared["client"], ctx.shared["mp4"]
        edited = client.videos.edit(prompt="Make it dusk", video=("boat.mp4", mp4, "video/mp4"))
        edited = client.videos.poll(edited.id)
        check_video(edited, status="completed", model=edited.model, seconds="4", size="720x1280", what="the edit")

    @suite.case("sdk: extension of an uploaded MP4 (the typed method)", needs=[content_video])
    def extend_upload(ctx):
        client, mp4 = ctx.shared["client"], ctx.shared["mp4"]
        upload = ("boat.mp4", mp4, "video/mp4")
        extended = client.videos.extend(prompt="The boat reaches a river", seconds="4", video=upload)
        extended = client.videos.poll(extended.id)
        check_video(extended, status="completed", model=extended.model, seconds="8", size="720x1280", what="the extension")

    @suite.case("sdk: AzureOpenAI client on /openai/v1 (api-key header, api-version=preview)")
    def azure_client(ctx):
        recorder = Recorder()
        client = ctx.sdk(
            f"{ctx.emulator.url}/openai/v1", ctx.emulator.key, recorder, client_class=openai.AzureOpenAI, api_version="preview"
        )
        video = client.videos.create_and_poll(model="sora-2", prompt=PROMPT, seconds="4", size="1280x720")
        check_video(video, status="completed", model="sora-2", seconds="4", size="1280x720", what="the video")
        check_mp4(client.videos.download_content(video.id).content, 1280, 720, 4, "the video")
        # The emulator's log ends with exactly this client's requests, in order (nothing else runs now).
        for exchange, record in ctx.emulator.matching(recorder.exchanges):
            check(record["path"].startswith("/openai/v1/videos"), f"the Azure client went to {record['path']}")
            equal(record["query"], "api-version=preview", f"query of {exchange.method} {record['path']}")
            check(
                record["api_key_present"] and not record["authorization_present"],
                f"{exchange.method} {record['path']} did not authenticate with the api-key header alone",
            )

    @suite.case("sdk: a wrong key raises AuthenticationError (401) with the service's message")
    def wrong_key(ctx):
        client = ctx.sdk(f"{ctx.emulator.url}/v1", "not-the-key")
        try:
            client.videos.list()
            raise AssertionError("a wrong key listed videos")
        except openai.AuthenticationError as e:
            equal(e.status_code, 401, "status")
            ctx.observe("401 body", e.body)
            check(isinstance(e.body, dict) and e.body.get("message"), "the 401 carries no error message")

    @suite.case("sdk: delete, then retrieve and download raise NotFoundError", needs=[listing])
    def delete(ctx):
        client, video = ctx.shared["client"], ctx.shared["video"]
        deleted = client.videos.delete(video.id)
        equal((deleted.id, deleted.deleted, deleted.object), (video.id, True, "video.deleted"), "delete answer")
        for what, call in [
            ("retrieve", lambda: client.videos.retrieve(video.id)),
            ("download_content", lambda: client.videos.download_content(video.id)),
            ("delete again", lambda: client.videos.delete(video.id)),
        ]:
            try:
                call()
                raise AssertionError(f"{what} of a deleted video succeeded")
            except openai.NotFoundError as e:
                equal(e.status_code, 404, f"{what}: status")
        ids = [v.id for v in client.videos.list(limit=100).data]
        check(video.id not in ids, "a deleted video is still listed")
        check(ctx.shared["remix"].id in ids, "deleting the parent removed its remix from the list")
