// Starts the studio from a file rather than trunk's inline script, so the page's
// Content-Security-Policy needs no 'unsafe-inline'. Trunk.toml's pattern_script passes the names.
const tag = document.querySelector("script[data-wasm]");
const bindings = await import(tag.dataset.js);
await bindings["default"]({ module_or_path: tag.dataset.wasm });
// Keep the app's files for offline use (the library lives in IndexedDB). Optional: failures only cost that.
if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js").catch(() => {});
