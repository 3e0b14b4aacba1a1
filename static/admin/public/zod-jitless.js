// Runs before the app's modules: Forge's Content-Security-Policy forbids eval, and zod probes for it (new Function)
// when a schema is built unless told not to, which the browser reports as a CSP violation. The admin page builds the
// settings schemas at load to check the form, so zod's global configuration (which zod reads from this global, made
// for exactly this) is set jitless here, before any module runs.
globalThis.__zod_globalConfig = { jitless: true };
