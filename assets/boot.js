// Starts the app without an inline script, so that the page's Content-Security-Policy can
// forbid them. trunk writes this tag from `pattern_script` in Trunk.toml, with the hashed
// names of the wasm-bindgen glue and the wasm module.
const tag = document.querySelector("script[data-js][data-wasm]");
const { default: init } = await import(tag.dataset.js);
await init({ module_or_path: tag.dataset.wasm });
