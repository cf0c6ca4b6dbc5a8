//! The records' and tab messages' JSON text (IndexedDB, BroadcastChannel) is the one earlier builds
//! wrote with serde: checked in the browser against copies of their serde derives written and read
//! as they did it (`sora_client::json`: serde-wasm-bindgen and the browser's JSON), and against
//! literal texts as those builds saved them.

use old::{OldJob, old_parse, old_text};
use serde::{Deserialize, Serialize};
use sora_client::json::{Json, to_text as write_json};
use sora_client::{FailureReason, JobStatus, VideoGeneration, VideoGenerationJob};
use sora_studio::json::{from_text, to_text};
use sora_studio::state::{JobRecord, VideoMeta};
use sora_studio::tabs::{Leadership, TabMessage};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// `JobRecord` as earlier builds declared it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OldJobRecord {
    job: OldJob,
    endpoint: String,
    #[serde(default)]
    saved: bool,
    #[serde(default)]
    gone: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    submission: Option<String>,
}

/// `VideoMeta` as earlier builds declared it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct OldVideoMeta {
    generation_id: String,
    job_id: String,
    prompt: String,
    width: u32,
    height: u32,
    n_seconds: u32,
    variant: usize,
    saved_at_ms: f64,
    expires_at: Option<i64>,
}

/// `TabMessage` as earlier builds declared it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum OldTabMessage {
    Job { job: OldJob, endpoint: String },
    Progress { job_id: String, remaining_ms: Option<u64> },
    Saved { job_id: String },
    Removed { job_id: String },
    Library,
}

fn old_record(r: &JobRecord) -> OldJobRecord {
    OldJobRecord {
        job: OldJob::from(&r.job),
        endpoint: r.endpoint.clone(),
        saved: r.saved,
        gone: r.gone,
        submission: r.submission.clone(),
    }
}

fn old_meta(m: &VideoMeta) -> OldVideoMeta {
    let m = m.clone();
    OldVideoMeta {
        generation_id: m.generation_id,
        job_id: m.job_id,
        prompt: m.prompt,
        width: m.width,
        height: m.height,
        n_seconds: m.n_seconds,
        variant: m.variant,
        saved_at_ms: m.saved_at_ms,
        expires_at: m.expires_at,
    }
}

fn old_message(m: &TabMessage) -> OldTabMessage {
    match m.clone() {
        TabMessage::Job { record } => OldTabMessage::Job { job: OldJob::from(&record.job), endpoint: record.endpoint },
        TabMessage::Progress { job_id, remaining_ms } => OldTabMessage::Progress { job_id, remaining_ms },
        TabMessage::Saved { job_id } => OldTabMessage::Saved { job_id },
        TabMessage::Removed { job_id } => OldTabMessage::Removed { job_id },
        TabMessage::Library => OldTabMessage::Library,
    }
}

/// A finished job with every field set, awkward text included.
fn full_job() -> VideoGenerationJob {
    VideoGenerationJob {
        id: "task_01".into(),
        status: JobStatus::Succeeded,
        created_at: 1_700_000_000,
        finished_at: Some(1_700_000_060),
        expires_at: Some(1_700_086_400),
        generations: vec![
            VideoGeneration {
                id: "gen_1".into(),
                job_id: "task_01".into(),
                created_at: 1_700_000_050,
                width: 854,
                height: 480,
                n_seconds: 5,
                prompt: "a \"fox\"".into(),
            },
            VideoGeneration {
                id: "gen_2".into(),
                job_id: "task_01".into(),
                created_at: 0,
                width: 0,
                height: 0,
                n_seconds: 0,
                prompt: String::new(),
            },
        ],
        prompt: "a \"fox\"\\ in\nsnow \u{1} 猫 🦊 \u{2028}".into(),
        model: "sora".into(),
        n_variants: 2,
        n_seconds: 5,
        height: 480,
        width: 854,
        failure_reason: None,
    }
}

/// A job just created: nothing optional set, a status and a failure this client does not know.
fn bare_job() -> VideoGenerationJob {
    VideoGenerationJob {
        id: "task_02".into(),
        status: JobStatus::Other("brand_new".into()),
        created_at: 0,
        finished_at: None,
        expires_at: None,
        generations: vec![],
        prompt: String::new(),
        model: String::new(),
        n_variants: 0,
        n_seconds: 0,
        height: 0,
        width: 0,
        failure_reason: Some(FailureReason::Other("something_new".into())),
    }
}

fn records() -> Vec<JobRecord> {
    let mut saved = JobRecord::new(full_job(), "https://x.openai.azure.com".into());
    saved.saved = true;
    saved.submission = Some("18c1-2f".into());
    let mut gone = JobRecord::new(bare_job(), "http://127.0.0.1:8080".into());
    gone.gone = true;
    let mut failed = JobRecord::new(bare_job(), String::new());
    failed.job.status = JobStatus::Failed;
    failed.job.failure_reason = Some(FailureReason::InputModeration);
    vec![saved, gone, failed, JobRecord::new(full_job(), "e".into())]
}

fn metas() -> Vec<VideoMeta> {
    let meta = VideoMeta {
        generation_id: "gen_1".into(),
        job_id: "task_01".into(),
        prompt: "a \"fox\"\n猫".into(),
        width: 1920,
        height: 1080,
        n_seconds: 20,
        variant: 2,
        saved_at_ms: 1_700_000_000_123.0,
        expires_at: Some(1_700_086_400),
        remixed_from: None,
    };
    vec![meta.clone(), VideoMeta { expires_at: None, width: 0, saved_at_ms: 1_700_000_000_123.25, ..meta }]
}

fn messages() -> Vec<TabMessage> {
    vec![
        TabMessage::Job { record: JobRecord::new(full_job(), "https://x.openai.azure.com".into()) },
        TabMessage::Job { record: JobRecord::new(bare_job(), String::new()) },
        TabMessage::Progress { job_id: "task_01".into(), remaining_ms: Some(12_500) },
        TabMessage::Progress { job_id: String::new(), remaining_ms: None },
        TabMessage::Saved { job_id: "task_01".into() },
        TabMessage::Removed { job_id: "task_\"02".into() },
        TabMessage::Library,
    ]
}

#[wasm_bindgen_test]
fn written_text_is_what_serde_wrote() {
    for record in records() {
        assert_eq!(to_text(&record), old_text(&old_record(&record)).unwrap());
    }
    for meta in metas() {
        assert_eq!(to_text(&meta), old_text(&old_meta(&meta)).unwrap());
    }
    for message in messages() {
        assert_eq!(to_text(&message), old_text(&old_message(&message)).unwrap());
    }
}

#[wasm_bindgen_test]
fn text_written_by_serde_reads_back_and_the_other_way_round() {
    for record in records() {
        let old = old_text(&old_record(&record)).unwrap();
        assert_eq!(from_text::<JobRecord>(&old), Some(record.clone()));
        assert_eq!(old_parse::<OldJobRecord>(to_text(&record).as_bytes()).unwrap(), old_record(&record));
        assert_eq!(from_text::<JobRecord>(&to_text(&record)), Some(record));
    }
    for meta in metas() {
        let old = old_text(&old_meta(&meta)).unwrap();
        assert_eq!(from_text::<VideoMeta>(&old), Some(meta.clone()));
        assert_eq!(old_parse::<OldVideoMeta>(to_text(&meta).as_bytes()).unwrap(), old_meta(&meta));
        assert_eq!(from_text::<VideoMeta>(&to_text(&meta)), Some(meta));
    }
    for message in messages() {
        let old = old_text(&old_message(&message)).unwrap();
        assert_eq!(from_text::<TabMessage>(&old), Some(message.clone()));
        assert_eq!(old_parse::<OldTabMessage>(to_text(&message).as_bytes()).unwrap(), old_message(&message));
        assert_eq!(from_text::<TabMessage>(&to_text(&message)), Some(message));
    }
}

/// A job as the earlier builds saved it.
const SAVED_JOB: &str = concat!(
    r#"{"id":"task_01","status":"succeeded","created_at":1700000000,"finished_at":1700000060,"expires_at":1700086400,"generations":[{"id":"gen_1","job_id":"task_01","created_at":1700000050,"width":854,"height":480,"n_seconds":5,"prompt":"a \"fox\""},{"id":"gen_2","job_id":"task_01","created_at":0,"width":0,"height":0,"n_seconds":0,"prompt":""}],"prompt":"a \"fox\"\\ in\nsnow \u0001 猫 🦊 "#,
    "\u{2028}",
    r#"","model":"sora","n_variants":2,"n_seconds":5,"height":480,"width":854,"failure_reason":null}"#
);

#[wasm_bindgen_test]
fn records_saved_by_earlier_builds_load() {
    let text = format!(
        r#"{{"job":{SAVED_JOB},"endpoint":"https://x.openai.azure.com","saved":true,"gone":false,"submission":"18c1-2f"}}"#
    );
    assert_eq!(from_text::<JobRecord>(&text), Some(records().remove(0)));
    // Before `gone` and `submission` existed; an unknown member from a later build.
    let text = format!(r#"{{"job":{SAVED_JOB},"endpoint":"e","saved":false,"later":[1]}}"#);
    assert_eq!(from_text::<JobRecord>(&text), Some(JobRecord::new(full_job(), "e".into())));
    let text = r#"{"generation_id":"gen_1","job_id":"task_01","prompt":"a \"fox\"\n猫","width":1920,"height":1080,"n_seconds":20,"variant":2,"saved_at_ms":1700000000123,"expires_at":1700086400}"#;
    assert_eq!(from_text::<VideoMeta>(text), Some(metas().remove(0)));
    let text = r#"{"generation_id":"g","job_id":"j","prompt":"p","width":480,"height":480,"n_seconds":5,"variant":1,"saved_at_ms":1700000000123.5,"expires_at":null}"#;
    let meta = from_text::<VideoMeta>(text).expect("meta");
    assert_eq!((meta.saved_at_ms, meta.expires_at, meta.variant), (1_700_000_000_123.5, None, 1));
}

#[wasm_bindgen_test]
fn messages_of_earlier_builds_are_understood() {
    let job = TabMessage::Job { record: JobRecord::new(full_job(), "https://x.openai.azure.com".into()) };
    let cases = [
        (format!(r#"{{"job":{{"job":{SAVED_JOB},"endpoint":"https://x.openai.azure.com"}}}}"#), job),
        (
            r#"{"progress":{"job_id":"task_01","remaining_ms":12500}}"#.into(),
            TabMessage::Progress { job_id: "task_01".into(), remaining_ms: Some(12_500) },
        ),
        (
            r#"{"progress":{"job_id":"","remaining_ms":null}}"#.into(),
            TabMessage::Progress { job_id: String::new(), remaining_ms: None },
        ),
        (r#"{"saved":{"job_id":"task_01"}}"#.into(), TabMessage::Saved { job_id: "task_01".into() }),
        (r#"{"removed":{"job_id":"task_\"02"}}"#.into(), TabMessage::Removed { job_id: "task_\"02".into() }),
        (r#""library""#.into(), TabMessage::Library),
    ];
    for (text, expected) in cases {
        assert_eq!(from_text::<TabMessage>(&text), Some(expected.clone()), "{text}");
        assert_eq!(to_text(&expected), text, "written as before");
    }
}

#[wasm_bindgen_test]
fn unreadable_records_and_messages_are_refused() {
    for text in [
        "",
        "null",
        "[]",
        r#"{"endpoint":"e"}"#,
        r#"{"job":null,"endpoint":"e"}"#,
        r#"{"job":{"id":"t"},"endpoint":"e"}"#,
        &format!(r#"{{"job":{SAVED_JOB}}}"#),
        &format!(r#"{{"job":{SAVED_JOB},"endpoint":5}}"#),
        &format!(r#"{{"job":{SAVED_JOB},"endpoint":"e","saved":"yes"}}"#),
    ] {
        assert_eq!(from_text::<JobRecord>(text), None, "{text}");
    }
    for text in [
        r#"{"job_id":"j","prompt":"p","width":480,"height":480,"n_seconds":5,"variant":1,"saved_at_ms":1}"#,
        r#"{"generation_id":"g","job_id":"j","prompt":"p","width":-1,"height":480,"n_seconds":5,"variant":1,"saved_at_ms":1}"#,
        r#"{"generation_id":"g","job_id":"j","prompt":"p","width":4.5,"height":480,"n_seconds":5,"variant":1,"saved_at_ms":1}"#,
        r#"{"generation_id":"g","job_id":"j","prompt":"p","width":480,"height":480,"n_seconds":5,"variant":1}"#,
    ] {
        assert_eq!(from_text::<VideoMeta>(text), None, "{text}");
    }
    for text in [
        r#""other""#,
        r#"{"other":{}}"#,
        r#"{"saved":{}}"#,
        r#"{"progress":{"job_id":"j","remaining_ms":-1}}"#,
        r#"{"job":{"endpoint":"e"}}"#,
        "5",
    ] {
        assert_eq!(from_text::<TabMessage>(text), None, "{text}");
    }
}

#[wasm_bindgen_test]
fn leadership_messages_are_apart_from_the_studios() {
    let cases = [
        (Leadership::Leader { hidden: true }, r#"{"leader":{"hidden":true}}"#),
        (Leadership::Leader { hidden: false }, r#"{"leader":{"hidden":false}}"#),
        (Leadership::WhoLeads, r#""who_leads""#),
    ];
    for (message, text) in cases {
        assert_eq!(to_text(&message), text);
        assert_eq!(from_text::<Leadership>(text), Some(message));
        // A tab of an earlier build ignores it (it reads only `TabMessage`s).
        assert_eq!(from_text::<TabMessage>(text), None, "{text}");
        assert!(old_parse::<OldTabMessage>(text.as_bytes()).is_err(), "{text}");
    }
    for message in messages() {
        assert_eq!(from_text::<Leadership>(&to_text(&message)), None, "{message:?}");
    }
}

#[wasm_bindgen_test]
fn strings_are_escaped_as_serde_escaped_them() {
    let mut every: String = (0..0x80u8).map(char::from).collect();
    every.push_str("猫 🦊 \u{2028}\u{2029}\u{7f}\u{ffff}");
    for text in [every.as_str(), "", "a\"b\\c", "\u{8}\u{c}\u{1f}"] {
        assert_eq!(write_json(&Json::Str(text)), old_text(&text).unwrap(), "{text:?}");
    }
}

#[wasm_bindgen_test]
fn numbers_are_written_as_json_stringify_writes_them() {
    for n in [
        0.0,
        1.0,
        -1.0,
        0.25,
        1_700_000_000_123.0,
        1_700_000_000_123.5,
        9_007_199_254_740_991.0,
        1e-7,
        1e21,
        f64::NAN,
        f64::INFINITY,
    ] {
        let ours = write_json(&Json::Obj(vec![("n", Json::Num(n))]));
        let object = js_sys::Object::new();
        js_sys::Reflect::set(&object, &"n".into(), &n.into()).unwrap();
        assert_eq!(Some(ours), js_sys::JSON::stringify(&object).ok().map(String::from), "{n}");
    }
    let ours = write_json(&Json::Obj(vec![
        ("i", Json::Num(-5.0)),
        ("u", Json::Num(9_007_199_254_740_991.0)),
        ("t", Json::Bool(true)),
        ("f", Json::Bool(false)),
        ("s", Json::opt_str(None)),
        ("o", Json::opt_num(Some(3.0))),
    ]));
    assert_eq!(ours, r#"{"i":-5,"u":9007199254740991,"t":true,"f":false,"s":null,"o":3}"#);
}

/// The serde derives of the response types and the JSON path earlier builds wrote and read with
/// (serde-wasm-bindgen and the browser's `JSON`), copied.
mod old {
    use serde::{Deserialize, Serialize, de::DeserializeOwned};
    use sora_client::{VideoGeneration, VideoGenerationJob};

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct OldGeneration {
        id: String,
        #[serde(default)]
        job_id: String,
        #[serde(default)]
        created_at: i64,
        width: u32,
        height: u32,
        #[serde(default)]
        n_seconds: u32,
        #[serde(default)]
        prompt: String,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    pub struct OldJob {
        id: String,
        status: String,
        #[serde(default)]
        created_at: i64,
        #[serde(default)]
        finished_at: Option<i64>,
        #[serde(default)]
        expires_at: Option<i64>,
        #[serde(default)]
        generations: Vec<OldGeneration>,
        #[serde(default)]
        prompt: String,
        #[serde(default)]
        model: String,
        #[serde(default)]
        n_variants: u32,
        #[serde(default)]
        n_seconds: u32,
        #[serde(default)]
        height: u32,
        #[serde(default)]
        width: u32,
        #[serde(default)]
        failure_reason: Option<String>,
    }

    impl From<&VideoGeneration> for OldGeneration {
        fn from(g: &VideoGeneration) -> Self {
            let g = g.clone();
            Self {
                id: g.id,
                job_id: g.job_id,
                created_at: g.created_at,
                width: g.width,
                height: g.height,
                n_seconds: g.n_seconds,
                prompt: g.prompt,
            }
        }
    }

    impl From<&VideoGenerationJob> for OldJob {
        fn from(j: &VideoGenerationJob) -> Self {
            let j = j.clone();
            Self {
                id: j.id,
                status: j.status.as_str().to_owned(),
                created_at: j.created_at,
                finished_at: j.finished_at,
                expires_at: j.expires_at,
                generations: j.generations.iter().map(OldGeneration::from).collect(),
                prompt: j.prompt,
                model: j.model,
                n_variants: j.n_variants,
                n_seconds: j.n_seconds,
                height: j.height,
                width: j.width,
                failure_reason: j.failure_reason.map(|r| r.as_str().to_owned()),
            }
        }
    }

    pub fn old_parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
        let text = std::str::from_utf8(body).map_err(|e| e.to_string())?;
        let value = js_sys::JSON::parse(text).map_err(|_| String::from("not JSON"))?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }

    pub fn old_text<T: Serialize + ?Sized>(value: &T) -> Result<String, String> {
        // Plain objects, not Maps, so JSON.stringify sees the fields.
        let value = value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| e.to_string())?;
        js_sys::JSON::stringify(&value).map(String::from).map_err(|_| String::from("JSON.stringify failed"))
    }
}

/// A Videos-API record: its protocol, progress and remix parent are written and read back, and a
/// jobs-API record's text has none of them (older builds read it as before).
#[wasm_bindgen_test]
fn videos_records_keep_protocol_progress_and_parent() {
    let mut record = JobRecord::new(full_job(), "https://gw.example/v1".into());
    record.protocol = sora_client::Protocol::OpenAiVideos;
    record.progress = Some(40);
    record.remixed_from = Some("video_bGl0ZWxsbTp+/==".into());
    let text = to_text(&record);
    assert!(text.contains(r#""protocol":"openai-videos""#) && text.contains(r#""progress":40"#), "{text}");
    assert_eq!(from_text::<JobRecord>(&text).expect("record"), record);
    let plain = to_text(&JobRecord::new(full_job(), "e".into()));
    assert!(!plain.contains("protocol") && !plain.contains("progress") && !plain.contains("remixed_from"), "{plain}");
    let bad = text.replace("openai-videos", "openai");
    assert!(from_text::<JobRecord>(&bad).is_none(), "an unknown protocol is not read as the jobs API");

    let mut meta = metas().remove(0);
    meta.remixed_from = Some("video_parent".into());
    let text = to_text(&meta);
    assert!(text.contains(r#""remixed_from":"video_parent""#), "{text}");
    assert_eq!(from_text::<VideoMeta>(&text).expect("meta"), meta);

    let message = TabMessage::Job { record: record.clone() };
    let text = to_text(&message);
    match from_text::<TabMessage>(&text).expect("message") {
        TabMessage::Job { record: heard } => {
            assert_eq!(
                (heard.protocol, heard.progress, heard.remixed_from),
                (record.protocol, Some(40), record.remixed_from)
            );
        }
        other => panic!("not a job message: {other:?}"),
    }
}
