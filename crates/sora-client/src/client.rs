//! The client: configuration, shared limits, and the request pipeline every operation goes through.

use std::cell::RefCell;
use std::rc::Rc;

use crate::api_version::DEFAULT_API_VERSION;
use crate::auth::{Auth, Token, needs_renewal};
use crate::endpoint::Endpoint;
use crate::error::{ApiError, Error};
use crate::estimate::DurationEstimator;
use crate::poll::PollOptions;
use crate::protocol::{Api, Protocol};
use crate::rate::{JobSlots, RateBudget};
use crate::retry::{Idempotency, RetryPolicy};
use crate::transport::{Body, HttpRequest, HttpResponse, Method, Transport};

/// Everything about a client but its endpoint and credentials.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientOptions {
    /// The API this client speaks (default: the jobs API). Build with [`ClientOptions::for_protocol`]
    /// to get its default limits too.
    pub protocol: Protocol,
    /// `api-version` query value: `preview` (the default) or `v1`. An endpoint pasted with
    /// `?api-version=` replaces the default; another value must agree with it. A client's
    /// [`Client::options`] hold the version it sends.
    pub api_version: String,
    pub retry: RetryPolicy,
    pub poll: PollOptions,
    /// Requests per minute shared by every call of this client (default 60, the service's default).
    pub requests_per_minute: u32,
    /// The window `requests_per_minute` counts over (default 60,000 ms; shorter only for tests).
    pub rate_window_ms: u64,
    /// Jobs this client lets run at once; further submissions wait (default 2, the service's limit).
    pub max_running_jobs: u32,
    /// Creates per window, counted apart from other requests, where the service limits them
    /// (Azure Sora 2: about 2 a minute); `None` or 0 for no limit of their own.
    pub creates_per_minute: Option<u32>,
}

impl ClientOptions {
    /// The defaults for `protocol`, its service's limits included.
    pub fn for_protocol(protocol: Protocol) -> Self {
        Self { protocol, creates_per_minute: protocol.default_creates_per_minute(), ..Self::default() }
    }
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            protocol: Protocol::AzureJobs,
            creates_per_minute: None,
            api_version: DEFAULT_API_VERSION.into(),
            retry: RetryPolicy::default(),
            poll: PollOptions::default(),
            requests_per_minute: 60,
            rate_window_ms: crate::rate::MINUTE_MS,
            max_running_jobs: 2,
        }
    }
}

/// Mutable state shared by all clones of a client.
pub(crate) struct State {
    pub budget: RateBudget,
    /// Creates only, where the protocol limits them apart ([`ClientOptions::creates_per_minute`]).
    pub create_budget: Option<RateBudget>,
    pub slots: JobSlots,
    pub estimator: DurationEstimator,
    pub token: Option<Token>,
    /// Local clock minus the service's clock in ms, learned from the jobs this client created
    /// (their `created_at` is the service's "now"); `None` until the first create.
    pub server_clock_offset_ms: Option<i64>,
}

pub(crate) struct Shared {
    pub endpoint: Endpoint,
    pub auth: Auth,
    pub options: ClientOptions,
    pub state: RefCell<State>,
}

/// A client for one Azure OpenAI resource. Clones share limits, slots and learned timings.
pub struct Client<T> {
    pub(crate) shared: Rc<Shared>,
    pub(crate) transport: T,
}

impl<T: Clone> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self { shared: Rc::clone(&self.shared), transport: self.transport.clone() }
    }
}

impl<T> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("endpoint", &self.shared.endpoint).field("auth", &self.shared.auth).finish()
    }
}

/// What one operation asks of the pipeline.
pub(crate) struct Call<'a> {
    /// The API the operation belongs to: its paths, and whether this client may send it.
    pub api: Api,
    pub method: Method,
    pub segments: &'a [&'a str],
    pub query: &'a [(&'a str, &'a str)],
    pub body: Body,
    /// What a 404 means: `Some((what, id))` turns it into [`Error::NotFound`].
    pub not_found: Option<(&'static str, &'a str)>,
    pub idempotency: Idempotency,
    /// Treat a body shorter than `Content-Length` as a broken connection (binary downloads only:
    /// compressed JSON legitimately differs from its encoded length).
    pub check_length: bool,
    /// The wait this call belongs to: none of its own pauses (rate budget, retries) ends later.
    pub deadline: Option<Deadline>,
}

/// When a wait gives up with [`Error::Timeout`]: no sleep on its behalf ends later than `at_ms`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub at_ms: u64,
    pub max_wait_ms: u64,
}

impl<T: Transport> Client<T> {
    /// Create a client for `endpoint` (e.g. `https://my-resource.openai.azure.com`) with default options.
    ///
    /// # Errors
    /// [`Error::Validation`] when the endpoint or the credentials are unusable.
    pub fn new(endpoint: &str, auth: Auth, transport: T) -> Result<Self, Error> {
        Self::with_options(endpoint, auth, ClientOptions::default(), transport)
    }

    /// Create a client with explicit options.
    ///
    /// # Errors
    /// As [`Client::new`]; also on field `api_version` when it is not `preview` or `v1`, or disagrees
    /// with the endpoint's `?api-version=` (see [`Endpoint::api_version_with`]).
    pub fn with_options(endpoint: &str, auth: Auth, mut options: ClientOptions, transport: T) -> Result<Self, Error> {
        auth.validate()?;
        let endpoint = Endpoint::parse_for(endpoint, options.protocol)?;
        options.api_version = endpoint.api_version_with(&options.api_version)?.to_owned();
        let state = State {
            budget: RateBudget::per_window(options.requests_per_minute, options.rate_window_ms),
            create_budget: options
                .creates_per_minute
                .filter(|n| *n > 0)
                .map(|n| RateBudget::per_window(n, options.rate_window_ms)),
            slots: JobSlots::new(options.max_running_jobs),
            estimator: DurationEstimator::default(),
            token: None,
            server_clock_offset_ms: None,
        };
        let shared = Shared { endpoint, auth, options, state: RefCell::new(state) };
        Ok(Self { shared: Rc::new(shared), transport })
    }

    /// The same client (sharing limits and slots) over another transport, e.g. one bound to an abort signal.
    pub fn with_transport<U: Transport>(&self, transport: U) -> Client<U> {
        Client { shared: Rc::clone(&self.shared), transport }
    }

    /// The normalised endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.shared.endpoint
    }

    /// The options this client was built with, `api_version` being the one it sends.
    pub fn options(&self) -> &ClientOptions {
        &self.shared.options
    }

    /// The `api-version` this client sends on the jobs API: `preview` or `v1` (the Videos API takes none).
    pub fn api_version(&self) -> &str {
        &self.shared.options.api_version
    }

    /// The API this client speaks.
    pub fn protocol(&self) -> Protocol {
        self.shared.options.protocol
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// What this client (and its clones) learned about how long jobs take, to keep across sessions.
    pub fn estimator(&self) -> DurationEstimator {
        self.shared.state.borrow().estimator.clone()
    }

    /// Start from timings learned earlier (see [`Client::estimator`]).
    pub fn set_estimator(&self, estimator: DurationEstimator) {
        self.shared.state.borrow_mut().estimator = estimator;
    }

    /// Run one call: wait for the rate budget, authenticate, send, and retry what may be retried.
    pub(crate) async fn call(&self, call: Call<'_>) -> Result<HttpResponse, Error> {
        let protocol = self.shared.options.protocol;
        if call.api != protocol.api() {
            return Err(protocol.refuse());
        }
        let mut path = call.api.root().to_vec();
        path.extend_from_slice(call.segments);
        let version = (call.api == Api::Jobs).then_some(self.shared.options.api_version.as_str());
        let url = self.shared.endpoint.url(&path, version, call.query);
        let is_create = call.idempotency == Idempotency::Create;
        let mut retry = 0;
        let mut renewed_after_401 = false;
        loop {
            self.acquire_budget(is_create, call.deadline).await?;
            let header = self.auth_header().await?;
            // JSON answers are read up to the cap and no further; downloads are read whole.
            let max_body_bytes = (!call.check_length).then_some(crate::json::MAX_BODY_BYTES);
            let request = HttpRequest {
                method: call.method,
                url: url.clone(),
                headers: vec![header],
                body: call.body.clone(),
                max_body_bytes,
            };
            let error = match self.transport.send(request).await {
                Ok(response) if (200..300).contains(&response.status) => match body_problem(&response, &call) {
                    None => return Ok(response),
                    Some(error) => error,
                },
                Ok(response) => self.error_from(response, call.not_found),
                Err(error) => error,
            };
            if let Error::Api(api) = &error {
                if api.status == 401 && !renewed_after_401 && matches!(self.shared.auth, Auth::TokenProvider(_)) {
                    // The token may have been revoked early: fetch a new one once.
                    renewed_after_401 = true;
                    self.shared.state.borrow_mut().token = None;
                    continue;
                }
                if let (429, Some(wait)) = (api.status, api.retry_after_ms) {
                    let until =
                        self.transport.now_ms().saturating_add(wait.min(self.shared.options.retry.max_delay_ms));
                    self.shared.state.borrow_mut().budget.block_until(until);
                }
            }
            retry += 1;
            let jitter = self.transport.random();
            match self.shared.options.retry.delay_ms(retry, &error, call.idempotency, jitter) {
                Some(delay) => self.pause(delay, call.deadline).await?,
                None => return Err(error),
            }
        }
    }

    /// Take one request from the budget, and for a create one from the creates' budget too.
    async fn acquire_budget(&self, is_create: bool, deadline: Option<Deadline>) -> Result<(), Error> {
        // A create's place in the creates' budget, once taken, is kept while it waits for the other.
        let mut create_pending = is_create;
        loop {
            let now = self.transport.now_ms();
            let wait = {
                let mut state = self.shared.state.borrow_mut();
                let create = state.create_budget.as_mut().filter(|_| create_pending).map(|b| b.try_acquire(now));
                match create {
                    Some(Err(ms)) => Err(ms),
                    _ => {
                        create_pending = false;
                        state.budget.try_acquire(now)
                    }
                }
            };
            match wait {
                Ok(()) => return Ok(()),
                Err(ms) => self.pause(ms, deadline).await?,
            }
        }
    }

    /// Sleep `ms`, or until the deadline and then give up with [`Error::Timeout`] if that is sooner.
    pub(crate) async fn pause(&self, ms: u64, deadline: Option<Deadline>) -> Result<(), Error> {
        let Some(deadline) = deadline else { return self.transport.sleep(ms).await };
        let left = deadline.at_ms.saturating_sub(self.transport.now_ms());
        self.transport.sleep(ms.min(left)).await?;
        if ms > left { Err(Error::Timeout(deadline.max_wait_ms)) } else { Ok(()) }
    }

    async fn auth_header(&self) -> Result<(&'static str, String), Error> {
        let provider = match &self.shared.auth {
            // An OpenAI-compatible base takes the key as a bearer token, as the OpenAI SDK sends it.
            Auth::ApiKey(key) if self.shared.options.protocol != Protocol::OpenAiVideos => {
                return Ok(("api-key", key.clone()));
            }
            Auth::ApiKey(token) | Auth::Bearer(token) => {
                return Ok(("authorization", ["Bearer ", token.as_str()].concat()));
            }
            Auth::TokenProvider(provider) => provider,
        };
        let now = self.transport.now_ms();
        let cached = self.shared.state.borrow().token.clone();
        let token = match cached {
            Some(token) if !needs_renewal(Some(&token), now) => token,
            _ => {
                let token = provider().await?;
                crate::auth::validate_secret("token", &token.value)?;
                self.shared.state.borrow_mut().token = Some(token.clone());
                token
            }
        };
        Ok(("authorization", ["Bearer ", token.value.as_str()].concat()))
    }

    fn error_from(&self, response: HttpResponse, not_found: Option<(&'static str, &str)>) -> Error {
        if let (404, Some((what, id))) = (response.status, not_found) {
            return Error::NotFound { what, id: id.to_owned() };
        }
        let cap = self.shared.options.retry.max_delay_ms;
        let retry_after_ms = crate::retry_after::requested_wait_ms(&response, self.transport.now_ms(), cap);
        Error::Api(Box::new(ApiError::from_response(
            response.status,
            &response.body,
            response.request_id,
            retry_after_ms,
        )))
    }
}

/// The error for a JSON answer too large to read (by `Content-Length` or by what arrived), or for
/// a download that broke off before its announced length.
fn body_problem(response: &HttpResponse, call: &Call<'_>) -> Option<Error> {
    if !call.check_length && call.method != Method::Head {
        let announced = response.content_length.unwrap_or(0);
        let size = announced.max(response.body.len() as u64);
        if let Err(message) = crate::json::check_size(size) {
            return Some(Error::Decode { message, snippet: crate::error::snippet(&response.body) });
        }
    }
    let expected = response.content_length.filter(|_| call.check_length && call.method != Method::Head)?;
    let got = response.body.len() as u64;
    (got != expected).then(|| {
        Error::Network(
            ["the download broke off after ", &got.to_string(), " of ", &expected.to_string(), " bytes"].concat(),
        )
    })
}
