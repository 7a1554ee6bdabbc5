#![cfg(not(target_arch = "wasm32"))]
//! Share links: round trips, old versions, damaged and hostile links.

use proptest::prelude::*;
use scaling_calc::engine::presets;
use scaling_calc::engine::share::{from_fragment, ShareError, ShareState, MAX_DECODED};

fn sample() -> ShareState {
    ShareState {
        text: presets::chinchilla_runs_epoch(),
        model: "chinchilla".into(),
        x: "C".into(),
        loss: "huber".into(),
        preset: "besiroglu-2024".into(),
        lang: "zh-Hant".into(),
        budget: "5.76e23".into(),
        ..ShareState::default()
    }
}

#[test]
fn a_link_round_trips_and_is_compact() {
    let state = sample();
    let encoded = state.encode();
    assert_eq!(ShareState::decode(&encoded).unwrap(), state);
    // Deflate roughly halves the 23 kB of the 245 Chinchilla runs (high-entropy digits),
    // base64 included; an unedited preset's data is not stored at all (reloaded by id).
    assert!(
        encoded.len() * 10 < state.text.len() * 6,
        "{} vs {}",
        encoded.len(),
        state.text.len()
    );
    assert!(encoded
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
    assert_eq!(
        from_fragment(&format!("#s={encoded}")).unwrap().unwrap(),
        state
    );
    assert!(from_fragment("#other=1").is_none());
}

#[test]
fn an_old_state_with_fewer_fields_still_opens() {
    let old = br#"{"v":1,"text":"N,L\n1e9,3\n2e9,2.9\n","model":"power"}"#;
    let state = ShareState::from_json(old).unwrap();
    assert_eq!(state.model, "power");
    assert_eq!(state.mfu, "40", "missing fields take their defaults");
    // Unknown fields (from a later version of the same format) are ignored.
    let newer = br#"{"v":1,"model":"kaplan","future_field":[1,2,3]}"#;
    assert_eq!(ShareState::from_json(newer).unwrap().model, "kaplan");
}

#[test]
fn damaged_and_hostile_links_are_refused_in_words() {
    assert_eq!(
        ShareState::decode("!!!not base64!!!"),
        Err(ShareError::NotBase64)
    );
    assert_eq!(ShareState::decode("AAAA"), Err(ShareError::NotDeflate));
    let mut encoded = sample().encode();
    encoded.truncate(encoded.len() / 2);
    assert!(ShareState::decode(&encoded).is_err());
    // Valid deflate of something that is not a state.
    let not_state = base64_deflate(b"[1,2,3]");
    assert!(matches!(
        ShareState::decode(&not_state),
        Err(ShareError::NotState(_))
    ));
    // A deflate bomb: 50 MB of zeros compress to a few kB and must not be inflated.
    let bomb = base64_deflate(&vec![b' '; 50_000_000]);
    assert!(bomb.len() < 200_000);
    assert_eq!(ShareState::decode(&bomb), Err(ShareError::TooLarge));
    const { assert!(MAX_DECODED < 50_000_000) };
    // A state from a future version.
    let future = base64_deflate(br#"{"v":99}"#);
    assert_eq!(
        ShareState::decode(&future),
        Err(ShareError::FromTheFuture(99))
    );
    assert!(ShareError::NotBase64.to_string().contains("damaged"));
}

fn base64_deflate(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(miniz_oxide::deflate::compress_to_vec(bytes, 6))
}

proptest! {
    #[test]
    fn no_fragment_makes_decoding_panic(text in ".{0,300}") {
        let _ = from_fragment(&text);
        let _ = ShareState::decode(&text);
    }
}
