// Runs before the app's modules: Forge's Content-Security-Policy forbids eval, and zod probes for it (new Function)
// when a schema is built unless it is told not to, which the browser reports as a CSP violation. The admin page
// builds the settings schema at load to check the form, so zod is set jitless here, before any module runs.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });
