/**
 * Builds the Custom UI resources the manifest points at, as `forge deploy` expects them built: each resource path is
 * `<app>/build` of a Vite project. A build is redone only when a source file is newer than the built index.html.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadManifest } from './forge/manifest';

// The CLI is not in vite's package exports; locate it from the package.json, which is.
const VITE_CLI = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'build' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds every stale resource of the app (every one with `force`, as for a deploy); returns the folders it built. */
export function buildResources(
  appRoot: string,
  log: (line: string) => void = () => undefined,
  { force = false }: { readonly force?: boolean } = {},
): string[] {
  const manifest = loadManifest(appRoot);
  const built: string[] = [];
  for (const resource of manifest.resources.values()) {
    const outDir = join(appRoot, resource.path);
    const projectDir = dirname(outDir);
    const index = join(outDir, 'index.html');
    if (!existsSync(join(projectDir, 'index.html'))) continue; // not a Vite project: the resource ships prebuilt
    // Bundles also take the shared front-end code, the catalogs, the contract and the domain code they import: a change
    // there rebuilds too.
    const sources = [
      projectDir,
      ...['static/common', 'locales', 'src/contract', 'src/domain'].map((dir) => join(appRoot, dir)),
    ];
    const newest = Math.max(...sources.filter((dir) => existsSync(dir)).map(newestSource));
    if (!force && existsSync(index) && statSync(index).mtimeMs >= newest) continue;
    log(`building ${resource.key} (${projectDir})`);
    // Vite is ESM-only; a child process keeps this usable from CommonJS callers (jest, tsx) alike.
    // NODE_ENV is forced: under jest it is `test`, and Vite would then bundle React's development build.
    const result = spawnSync(process.execPath, [VITE_CLI, 'build', projectDir, '--logLevel', 'warn'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    if (result.status !== 0) throw new Error(`vite build of ${projectDir} failed:\n${result.stderr || result.stdout}`);
    built.push(projectDir);
  }
  return built;
}

// `npm run build`: every Custom UI resource the manifest names, built afresh, as `forge deploy` uploads them.
if (require.main === module) {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`built ${buildResources(join(__dirname, '..'), say, { force: true }).length} resources`);
}
