// A classic script the surfaces that validate with zod in the browser (admin, macro config) load before their
// modules. Forge's Content-Security-Policy forbids eval, and zod probes for it (new Function) when it builds a schema
// unless told not to; the browser reports the probe as a CSP violation even though zod catches it. Vite may place a
// schema-building module in a shared chunk evaluated before the entry's first import, so setting this from a module
// is not early enough: zod reads its global configuration from this global, which exists for exactly this.
globalThis.__zod_globalConfig = { jitless: true };
