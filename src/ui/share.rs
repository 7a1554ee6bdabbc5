//! Keeping and sharing work: the state a page opens with (a link's fragment, then
//! `?preset=`, then the saved state, then the default), saving to localStorage, the share
//! link and embed code, the reset button, and the compact `?embed=1` view.

use super::{preset_state, when_idle, Derived, PageState};
use crate::engine::presets;
use crate::engine::share::{from_fragment, ShareState, PRACTICAL_LINK};
use crate::text::Said;
use leptos::prelude::*;

use super::i18n::{tr, trf};

/// Where the saved state lives in localStorage.
const STORAGE_KEY: &str = "scaling-calc/state";

/// What the page opens with, and anything the person should be told about it.
pub struct Start {
    pub state: ShareState,
    pub notice: Option<Said>,
    pub embed: bool,
    /// Opened from something other than the person's own saved work (a link, a preset, or
    /// the default shown in place of a damaged link): their saved work stays as it is until
    /// they edit what they see.
    pub borrowed: bool,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn query_param(name: &str) -> Option<String> {
    let search = window().location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// The state to open: a link's fragment first, then `?preset=`, then the saved state, then
/// the default preset. A damaged link opens the default page with a message.
pub fn initial_state() -> Start {
    let embed = query_param("embed").is_some_and(|v| v == "1" || v == "true");
    let default = || preset_state(&presets::ALL[0]);
    let fragment = window().location().hash().unwrap_or_default();
    let saved = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    // Opening someone else's state while the person has saved work of their own: say so.
    let kept = || saved.is_some().then_some(Said::SavedWorkKept);
    let borrowed = |state, notice| Start {
        state,
        notice,
        embed,
        borrowed: true,
    };
    if let Some(decoded) = from_fragment(&fragment) {
        return match decoded {
            Ok(state) => borrowed(state, kept()),
            Err(e) => borrowed(default(), Some(Said::BadLink(e))),
        };
    }
    if let Some(id) = query_param("preset") {
        return match presets::find(&id) {
            Some(p) => borrowed(preset_state(p), kept()),
            None => borrowed(default(), Some(Said::NoPreset(id))),
        };
    }
    let own = |state, notice| Start {
        state,
        notice,
        embed,
        borrowed: false,
    };
    match saved.map(|json| ShareState::from_json(json.as_bytes())) {
        Some(Ok(state)) => own(state, None),
        // Unreadable saved work is not overwritten by the default shown in its place.
        Some(Err(e)) => borrowed(default(), Some(Said::BadSaved(e))),
        None => own(default(), None),
    }
}

/// The current state of every input (made once, in `App`, and read through the context).
pub fn current_state() -> Memo<ShareState> {
    let page = expect_context::<PageState>();
    Memo::new(move |_| page.share())
}

/// Saves the state to localStorage when the person changes it (the one effect that writes
/// storage). What a page opens with is never written back as it is: a link, a preset or an
/// embed on the same origin leaves the person's saved work alone until they edit, and an embed
/// never writes at all. A state is saved only after its fit has run to the end, so a state
/// the page cannot open is never kept.
///
/// Returns whether the page still shows a borrowed state; setting it to false keeps what is
/// on screen as the person's own work (the notice's "keep this" button).
pub fn keep_saved(start: &Start) -> RwSignal<bool> {
    let borrowed = RwSignal::new(start.borrowed);
    if start.embed {
        return borrowed;
    }
    let state = expect_context::<Memo<ShareState>>();
    let derived = expect_context::<Derived>();
    Effect::new(move |opened: Option<ShareState>| {
        let borrowed = borrowed.get();
        let current = state.get();
        let Some(opened) = opened else {
            // The first run: the state as opened.
            return current;
        };
        if current != opened || !borrowed {
            derived.outcome.with(|_| ());
            if let Some(storage) = storage() {
                // A full storage (quota) only means the work is not kept; the page goes on.
                let _ = storage.set_item(STORAGE_KEY, &current.to_json());
            }
        }
        opened
    });
    borrowed
}

/// The page's address without query and fragment.
fn base_url() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// Copies text to the clipboard (the browser may refuse; the text stays selectable).
fn copy(text: String) {
    let clipboard = window().navigator().clipboard();
    let _ = clipboard.write_text(&text);
}

/// The share link, the embed code, and reset.
#[component]
pub fn SharePanel() -> impl IntoView {
    let page = expect_context::<PageState>();
    let state = expect_context::<Memo<ShareState>>();
    // The state is deflated once per change, when the page is next idle (deflating 10,000
    // rows takes 20 ms: a keystroke's or a paste's frame, and its fit, come first); the link
    // and the embed code share it. Until then the box keeps the previous link, marked
    // `data-pending`, and the copy buttons deflate the current state themselves.
    let encoded = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let latest = std::rc::Rc::new(std::cell::Cell::new(0u64));
    Effect::new(move |_| {
        let current = state.get();
        let this = latest.get() + 1;
        latest.set(this);
        pending.set(true);
        let latest = latest.clone();
        when_idle(move || {
            if latest.get() == this {
                encoded.set(current.encode());
                pending.set(false);
            }
        });
    });
    let link_to = |encoded: &str| format!("{}#s={encoded}", base_url());
    let embed_to = |encoded: &str| {
        format!(
            "<iframe src=\"{}?embed=1#s={encoded}\" width=\"100%\" height=\"480\" style=\"border:0;max-width:900px\" loading=\"lazy\" title=\"Scaling-law calculator\"></iframe>",
            base_url(),
        )
    };
    let link = Memo::new(move |_| encoded.with(|e| link_to(e)));
    let embed_code = move || encoded.with(|e| embed_to(e));
    // What a copy button copies: the current state, deflated now if the idle task has not.
    let current = move |to: fn(&str) -> String| {
        if pending.get_untracked() {
            to(&state.with_untracked(ShareState::encode))
        } else {
            encoded.with_untracked(|e| to(e))
        }
    };
    let copied = RwSignal::new("");
    let select_all = move |ev: leptos::ev::FocusEvent| {
        event_target::<web_sys::HtmlInputElement>(&ev).select();
    };
    let too_long = move || link.with(|l| l.len() > PRACTICAL_LINK);
    // The state before the last reset, so a reset can be undone.
    let before_reset = RwSignal::new(None::<ShareState>);
    let reset = move |_| {
        before_reset.set(Some(state.get_untracked()));
        page.apply(&preset_state(&presets::ALL[0]));
    };
    let undo_reset = move |_| {
        if let Some(previous) = before_reset.get_untracked() {
            page.apply(&previous);
            before_reset.set(None);
        }
    };
    view! {
        <section class="share" aria-label=move || tr("Share and keep")>
            <h3>{move || tr("Share, embed, keep")}</h3>
            <label class="control">
                <span>{move || tr("Link to this exact page (data and choices; the fit reruns on open)")}</span>
                <input type="text" readonly data-testid="share-link" prop:value=move || link.get()
                    data-pending=move || pending.get().to_string()
                    on:focus=select_all/>
            </label>
            {move || too_long().then(|| view! {
                <p class="input-error small" data-testid="share-too-long">
                    {move || trf("This link is {0} characters long: too long for many chat tools and browsers. Share fewer rows, or export the data as a file.", &[&link.with(|l| l.len()).to_string()])}
                </p>
            })}
            <div class="buttons">
                <button type="button" data-testid="copy-link" on:click=move |_| { copy(current(link_to)); copied.set("link"); }>{move || tr("Copy link")}</button>
                <button type="button" class="secondary" data-testid="copy-embed" on:click=move |_| { copy(current(embed_to)); copied.set("embed"); }>{move || tr("Copy embed code")}</button>
                <button type="button" class="secondary" data-testid="reset" on:click=reset>{move || tr("Reset to the default")}</button>
                {move || before_reset.with(Option::is_some).then(|| view! {
                    <button type="button" class="secondary" data-testid="undo-reset" on:click=undo_reset>{move || tr("Undo reset")}</button>
                })}
                <span class="muted small" role="status">{move || match copied.get() {
                    "link" => tr("Link copied."),
                    "embed" => tr("Embed code copied."),
                    _ => String::new(),
                }}</span>
            </div>
            <details>
                <summary>{move || tr("Embed code")}</summary>
                <textarea readonly class="embed-code" data-testid="embed-code" rows="3" prop:value=embed_code></textarea>
            </details>
        </section>
    }
}

/// The compact view for an iframe: the chart, the law, the key numbers, and a link to the
/// full calculator.
#[component]
pub fn EmbedView() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let state = expect_context::<Memo<ShareState>>();
    let full = move || format!("{}#s={}", base_url(), state.with(|s| s.encode()));
    let law = move || {
        derived
            .shown
            .get()
            .map(|(_, fit)| super::summary::law_with_values(&fit.law))
    };
    view! {
        <div class="embed">
            <super::ChartView/>
            <div class="embed-foot">
                <span class="formula">{law}</span>
                <super::PredictInput/>
                <super::FitStatus/>
                <a href=full target="_blank" rel="noopener" data-testid="open-full">{move || tr("Open in the full calculator ↗")}</a>
            </div>
        </div>
    }
}
