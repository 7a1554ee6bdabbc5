//! The page's binary: mounts the app in the browser; does nothing elsewhere.

fn main() {
    #[cfg(target_arch = "wasm32")]
    scaling_calc::ui::mount();
}
