//! The page's Web Workers: the engine's heavy work ([`Request`]) runs there, never on the
//! page's thread. A named job has one worker: its newest request wins (a request still running
//! is cancelled by ending its worker, and a late answer to an older request is dropped).
//!
//! The worker's script is `worker_loader.js` (trunk builds `src/worker.rs` beside the page; the
//! post-build step gives it a content-hashed name, written in the page's
//! `<meta name="worker">`). Where no worker can start (a browser without workers, or a page
//! served without the worker's files), the same function answers on the page's thread.

use crate::engine::work::{answer, Reply, Request};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

/// Milliseconds since the page opened (a monotonic clock).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

/// The worker script's address, as the built page names it.
fn script() -> String {
    leptos::prelude::document()
        .query_selector("meta[name=worker]")
        .ok()
        .flatten()
        .and_then(|m| m.get_attribute("content"))
        .unwrap_or_else(|| "./worker_loader.js".into())
}

type Callback = Box<dyn FnOnce(Reply)>;

/// A request sent to a worker: kept so it can be answered here if the worker fails.
struct Pending {
    id: u64,
    request: Request,
    done: Callback,
    /// Told (done, total) as a long fit goes.
    progress: Option<crate::engine::fit::starts::Progress>,
}

/// One worker and the request it is working on.
struct Slot {
    worker: Worker,
    /// Set once the worker has said it is listening.
    ready: Rc<Cell<bool>>,
    /// Set when the worker failed; the next request replaces it.
    dead: Rc<Cell<bool>>,
    /// The request waiting for the worker to be ready.
    queued: Rc<RefCell<Option<(u64, JsValue)>>>,
    /// The request it works on, and what to do with its answer.
    pending: Rc<RefCell<Option<Pending>>>,
    _on_message: Closure<dyn Fn(MessageEvent)>,
    _on_error: Closure<dyn Fn(web_sys::Event)>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

thread_local! {
    static SLOTS: RefCell<HashMap<&'static str, Slot>> = RefCell::new(HashMap::new());
    /// A started worker waiting for work: a job whose worker was ended to cancel a request
    /// takes it, so cancelling costs no start-up (made after the first cancel).
    static SPARE: RefCell<Option<Slot>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
    /// False once a worker failed to start: later work runs on the page's thread.
    static AVAILABLE: Cell<bool> = const { Cell::new(true) };
}

/// Starts `job`'s worker before its first request (the page calls this as it opens, so the
/// worker's start-up overlaps the page's first render instead of following it).
pub fn prewarm(job: &'static str) {
    if !AVAILABLE.with(Cell::get) || SLOTS.with(|s| s.borrow().contains_key(job)) {
        return;
    }
    if let Some(slot) = spawn() {
        SLOTS.with(|s| s.borrow_mut().insert(job, slot));
    }
}

/// Cancels `job`'s running request: its worker is ended (a new one starts on the next
/// request) and its answer never comes.
pub fn cancel(job: &'static str) {
    let ended = SLOTS.with(|s| {
        let mut slots = s.borrow_mut();
        let running = slots
            .get(job)
            .is_some_and(|slot| slot.pending.borrow().is_some() || slot.dead.get());
        if running {
            slots.remove(job)
        } else {
            None
        }
    });
    if let Some(ended) = ended {
        let dead = ended.dead.get();
        drop(ended);
        if !dead && AVAILABLE.with(Cell::get) && SPARE.with(|s| s.borrow().is_none()) {
            let spare = spawn();
            SPARE.with(|s| *s.borrow_mut() = spare);
        }
    }
}

/// Sends `request` to `job`'s worker; `done` gets the answer unless a newer request of the
/// same job comes first. Where no worker can run, answers on this thread at once.
pub fn run(job: &'static str, request: Request, done: impl FnOnce(Reply) + 'static) {
    run_with_progress(job, request, None, done);
}

/// [`run`], with `progress` told (done, total) as a long fit in the worker goes.
pub fn run_with_progress(
    job: &'static str,
    request: Request,
    progress: Option<crate::engine::fit::starts::Progress>,
    done: impl FnOnce(Reply) + 'static,
) {
    cancel(job);
    let done: Callback = Box::new(done);
    let message = match serde_wasm_bindgen::to_value(&request) {
        Ok(m) if AVAILABLE.with(Cell::get) => m,
        _ => return done(answer(request, now)),
    };
    let id = NEXT_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    });
    // `done` is called outside the borrow of the slots: it may send the next request.
    let unsent = SLOTS.with(|s| {
        let mut slots = s.borrow_mut();
        if !slots.contains_key(job) {
            let spare = SPARE
                .with(|s| s.borrow_mut().take())
                .filter(|s| !s.dead.get());
            if let Some(slot) = spare.or_else(spawn) {
                slots.insert(job, slot);
            }
        }
        match slots.get(job) {
            Some(slot) => {
                *slot.pending.borrow_mut() = Some(Pending {
                    id,
                    request,
                    done,
                    progress,
                });
                post(slot, id, message);
                None
            }
            None => Some((request, done)),
        }
    });
    if let Some((request, done)) = unsent {
        AVAILABLE.with(|a| a.set(false));
        done(answer(request, now));
    }
}

/// Posts a request, or queues it until the worker listens.
fn post(slot: &Slot, id: u64, message: JsValue) {
    if slot.ready.get() {
        let _ = slot.worker.post_message(&envelope(id, &message));
    } else {
        *slot.queued.borrow_mut() = Some((id, message));
    }
}

/// `{ id, request }`: the worker answers `{ id, reply }`.
fn envelope(id: u64, request: &JsValue) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &"id".into(), &(id as f64).into());
    let _ = js_sys::Reflect::set(&object, &"request".into(), request);
    object.into()
}

/// Starts a worker, or None when this browser or page cannot.
fn spawn() -> Option<Slot> {
    let worker = Worker::new(&script()).ok()?;
    let ready = Rc::new(Cell::new(false));
    let dead = Rc::new(Cell::new(false));
    let queued: Rc<RefCell<Option<(u64, JsValue)>>> = Rc::new(RefCell::new(None));
    let pending: Rc<RefCell<Option<Pending>>> = Rc::new(RefCell::new(None));
    let on_message = {
        let (worker, ready, queued, pending) = (
            worker.clone(),
            ready.clone(),
            queued.clone(),
            pending.clone(),
        );
        Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if data.as_string().as_deref() == Some("ready") {
                ready.set(true);
                if let Some((id, message)) = queued.borrow_mut().take() {
                    let _ = worker.post_message(&envelope(id, &message));
                }
                return;
            }
            let id = js_sys::Reflect::get(&data, &"id".into())
                .ok()
                .and_then(|v| v.as_f64());
            let current = pending.borrow().as_ref().map(|p| p.id as f64);
            if id.is_none() || id != current {
                return; // an answer to a request that was replaced
            }
            if let Ok(pair) = js_sys::Reflect::get(&data, &"progress".into()) {
                if let Some(pair) = pair.dyn_ref::<js_sys::Array>() {
                    let at = |i| pair.get(i).as_f64().unwrap_or(0.0) as usize;
                    if let Some(tell) = pending.borrow().as_ref().and_then(|p| p.progress.as_ref())
                    {
                        tell(at(0), at(1));
                    }
                    return;
                }
            }
            let Some(p) = pending.borrow_mut().take() else {
                return;
            };
            let reply = js_sys::Reflect::get(&data, &"reply".into())
                .ok()
                .and_then(|r| serde_wasm_bindgen::from_value::<Reply>(r).ok());
            match reply {
                Some(reply) => (p.done)(reply),
                // Not an answer this page can read: do the work here.
                None => (p.done)(answer(p.request, now)),
            }
        })
    };
    let on_error = {
        let (ready, dead, pending) = (ready.clone(), dead.clone(), pending.clone());
        Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
            event.prevent_default();
            dead.set(true);
            if !ready.get() {
                // The worker never started (no worker files, or no wasm in workers).
                leptos::logging::warn!("no Web Worker: the engine runs on the page's thread");
                AVAILABLE.with(|a| a.set(false));
            }
            let taken = pending.borrow_mut().take();
            if let Some(p) = taken {
                (p.done)(answer(p.request, now));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Some(Slot {
        worker,
        ready,
        dead,
        queued,
        pending,
        _on_message: on_message,
        _on_error: on_error,
    })
}

/// How many workers a pool uses: the browser's count of logical cores, 1 to `most`.
pub fn pool_size(most: usize) -> usize {
    let cores = leptos::prelude::window().navigator().hardware_concurrency() as usize;
    cores.clamp(1, most.max(1))
}

/// Requests split across a pool of workers: each worker takes the next request when it
/// answers, so the work balances itself; `each` gets every answer with its request's index.
pub struct Pool {
    jobs: &'static [&'static str],
    queue: RefCell<std::collections::VecDeque<(usize, Request)>>,
    each: Box<dyn Fn(usize, Reply)>,
    live: Cell<bool>,
}

impl Pool {
    /// Starts the workers a pool of `jobs` would use, before its first request: the page calls
    /// this when the person reaches for a batch's controls (focus, pointer), so the workers'
    /// start-up is over by the time they click.
    pub fn prewarm(jobs: &'static [&'static str]) {
        for job in &jobs[..pool_size(jobs.len())] {
            prewarm(job);
        }
    }

    /// Starts the requests on up to one worker per core (at most one per job name).
    pub fn start(
        jobs: &'static [&'static str],
        requests: Vec<Request>,
        each: impl Fn(usize, Reply) + 'static,
    ) -> Rc<Pool> {
        let size = pool_size(jobs.len()).min(requests.len());
        let pool = Rc::new(Pool {
            jobs,
            queue: RefCell::new(requests.into_iter().enumerate().collect()),
            each: Box::new(each),
            live: Cell::new(true),
        });
        for job in &jobs[..size] {
            pool.dispatch(job);
        }
        pool
    }

    /// Hands `job` the next request, if any is left.
    fn dispatch(self: &Rc<Self>, job: &'static str) {
        if !self.live.get() {
            return;
        }
        let Some((index, request)) = self.queue.borrow_mut().pop_front() else {
            return;
        };
        let pool = self.clone();
        run(job, request, move |reply| {
            if !pool.live.get() {
                return;
            }
            (pool.each)(index, reply);
            // The next request after a turn of the event loop: where no worker can run and
            // the answers come on this thread, the page still paints between them.
            let next = pool.clone();
            gloo_timers::callback::Timeout::new(0, move || next.dispatch(job)).forget();
        });
    }

    /// Stops handing out requests and ends the running ones.
    pub fn cancel(&self) {
        self.live.set(false);
        for job in self.jobs {
            cancel(job);
        }
    }
}
