//! Mounts the zkplay page. Everything else is in the library (`lib.rs`).

fn main() {
    zkplay_web::install_panic_hook();
    yew::Renderer::<zkplay_web::App>::new().render();
}
