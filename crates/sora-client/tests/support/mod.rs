//! A scripted transport with a fake clock, for testing protocol logic without a network.

use std::cell::{Cell, RefCell};
use std::future::Future;

use sora_client::{Error, HttpRequest, HttpResponse, Transport};

/// Answers each request with the next scripted result; sleeping advances a fake clock.
#[derive(Default)]
pub struct Scripted {
    pub answers: RefCell<Vec<Result<HttpResponse, Error>>>,
    pub sent: RefCell<Vec<(u64, HttpRequest)>>,
    pub sleeps: RefCell<Vec<u64>>,
    pub now: Cell<u64>,
}

impl Scripted {
    pub fn answer(&self, answer: Result<HttpResponse, Error>) -> &Self {
        self.answers.borrow_mut().push(answer);
        self
    }

    pub fn ok(&self, body: &str) -> &Self {
        self.answer(Ok(HttpResponse { status: 200, body: body.as_bytes().to_vec(), ..Default::default() }))
    }

    pub fn status(&self, status: u16, body: &str) -> &Self {
        self.answer(Ok(HttpResponse { status, body: body.as_bytes().to_vec(), ..Default::default() }))
    }

    pub fn urls(&self) -> Vec<String> {
        self.sent.borrow().iter().map(|(_, r)| r.url.clone()).collect()
    }
}

impl Transport for &Scripted {
    fn send(&self, request: HttpRequest) -> impl Future<Output = Result<HttpResponse, Error>> {
        self.sent.borrow_mut().push((self.now.get(), request));
        let mut answers = self.answers.borrow_mut();
        let answer =
            if answers.is_empty() { Err(Error::Network("script exhausted".into())) } else { answers.remove(0) };
        std::future::ready(answer)
    }

    fn sleep(&self, ms: u64) -> impl Future<Output = Result<(), Error>> {
        self.sleeps.borrow_mut().push(ms);
        self.now.set(self.now.get() + ms);
        std::future::ready(Ok(()))
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    fn random(&self) -> f64 {
        0.5
    }

    fn detached(&self) -> Self {
        self
    }
}

/// Run a future whose every await is ready at once.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("scripted future was pending"),
    }
}

/// A job body with the given id, status and creation time.
#[allow(dead_code, reason = "the Videos API's tests have their own bodies")]
pub fn job(id: &str, status: &str, created_at: i64) -> String {
    format!(
        r#"{{"id":"{id}","status":"{status}","created_at":{created_at},"prompt":"p","model":"sora","n_variants":1,"n_seconds":5,"width":480,"height":480,"generations":[]}}"#
    )
}
