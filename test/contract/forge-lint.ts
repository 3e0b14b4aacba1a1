/**
 * Running `@forge/lint`'s client-side linters offline (docs/platform.md §5) over the files the app deploys: the
 * backend modules the manifest's function handlers import, and each Custom UI resource's own sources.
 *
 * How the linter picks files (`@forge/lint` `out/lint/lint.js`): `lint(files, …)` parses a `.js`/`.jsx` file always,
 * but a `.ts`/`.tsx` file only when it is in the glob expansion of `include` (and not of `exclude`) of the
 * `tsconfig.json` in the working directory. It expands each entry with `glob` as written, so an entry naming a folder
 * (`"src"`) matches the folder, never a file in it, and every TypeScript file is skipped without a word. The
 * tsconfigs therefore spell their folders as `src/**\/*`, which TypeScript reads exactly as it reads `src`.
 *
 * Offline means: the permission linter reads the products' OpenAPI documents from `LOCAL_*_SWAGGER` files (Jira's
 * real one, stand-ins with no paths for the products Tollgate never calls; see test/vendor/README.md), the manifest
 * linters ask a stub for deprecated runtimes instead of Statsig, and the linter's cache folder lives in a temporary
 * directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  getClientSideLintersOnly,
  type LinterInterface,
  lint,
  type LintResult,
  parseSourceFile,
  PermissionLinter,
  tsParser,
} from '@forge/lint';
import { AbstractManifestLinter } from '@forge/lint/out/lint/linters/manifest-linter/abstract-manifest-linter';
import { getHandlersDirectory, HANDLER_EXTENSIONS, type ManifestSchema } from '@forge/manifest';
import ts from 'typescript';
import { parse } from 'yaml';

export const ROOT = resolve(__dirname, '../..');
const VENDOR = resolve(__dirname, '../vendor');

/** The OpenAPI documents the permission linter checks product calls against, by the variable it reads each from. */
export const LOCAL_SWAGGERS: Readonly<Record<string, string>> = {
  LOCAL_JIRA_SWAGGER: join(VENDOR, 'jira-openapi/swagger-v3.v3.json'),
  LOCAL_JSM_SWAGGER: join(VENDOR, 'forge-lint/jira-service-management.paths.json'),
  LOCAL_JSW_SWAGGER: join(VENDOR, 'forge-lint/jira-software.paths.json'),
  LOCAL_CONF_SWAGGER: join(VENDOR, 'forge-lint/confluence.paths.json'),
  LOCAL_CONF_V2_SWAGGER: join(VENDOR, 'forge-lint/confluence-v2.paths.json'),
  LOCAL_BB_SWAGGER: join(VENDOR, 'forge-lint/bitbucket.paths.json'),
};

/**
 * Calls into products whose OpenAPI document is only a stand-in here: the linter would find no operation for them
 * and so report nothing. Meeting one means the real document must be vendored first.
 */
export const UNCHECKED_PRODUCT_CALLS = [
  /\brequestConfluence\b/,
  /\brequestBitbucket\b/,
  /\/rest\/agile\//,
  /\/rest\/servicedeskapi\//,
];

const ENVIRONMENT = 'development';
const silent = { info: (): void => undefined };
// `forge lint` passes its Statsig client; the manifest linters only ask it which runtimes are deprecated.
type Statsig = Parameters<typeof lint>[4];
const statsig = { getDeprecatedRuntimes: (): Promise<string[]> => Promise.resolve([]) } as unknown as Statsig;

/**
 * Parses as `forge lint` does, minus the type-checked program: no linter reads types (the parser hands them only
 * the tree), and building the program for each file of this repository's tsconfig takes seconds a file. Syntax
 * errors still throw, and `npm run typecheck` covers the rest.
 */
const parseFunction: NonNullable<Parameters<typeof lint>[5]['parseFunction']> = (file) =>
  parseSourceFile(file, (code, path) => tsParser(code, path, { project: undefined }));

export function readManifest(root = ROOT): ManifestSchema {
  return parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as ManifestSchema;
}

/**
 * Sets up the offline mode for the duration of the linter runs; call the returned function to undo it. The
 * permission linter opens a `conf` cache folder under `XDG_CONFIG_HOME` even when it reads local files.
 */
export function offlineLintEnvironment(swaggers: Readonly<Record<string, string>> = LOCAL_SWAGGERS): () => void {
  const config = mkdtempSync(join(tmpdir(), 'tollgate-forge-lint-'));
  const values: Record<string, string> = { ...swaggers, USE_LOCAL_SWAGGER: '1', XDG_CONFIG_HOME: config };
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(config, { recursive: true, force: true });
  };
}

/**
 * The project's own files that `entries` import, transitively (static and dynamic imports, type-only ones too),
 * resolved as the tsconfig at `tsconfigPath` resolves them; packages and files outside `within` are left out.
 * Paths come back relative to `cwd`, as `forge lint` passes them.
 */
export function importClosure(entries: readonly string[], tsconfigPath: string, within: string, cwd: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    tsconfigPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error(`cannot read ${tsconfigPath}`);
  const seen = new Set<string>();
  const pending = entries.map((entry) => resolve(cwd, entry));
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.[cm]?[jt]sx?$/.test(file)) continue;
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule;
      if (!resolved || resolved.isExternalLibraryImport) continue;
      if (!resolved.resolvedFileName.startsWith(within + sep) || resolved.resolvedFileName.endsWith('.d.ts')) continue;
      pending.push(resolved.resolvedFileName);
    }
  }
  return [...seen]
    .filter((file) => /\.[cm]?[jt]sx?$/.test(file))
    .map((file) => relative(cwd, file))
    .sort();
}

/** The backend modules `forge deploy` bundles: every handler file the manifest names, and all they import. */
export function deployedBackendFiles(manifest: ManifestSchema, root = ROOT): string[] {
  const handlersDir = getHandlersDirectory(manifest);
  const entries = new Set(
    (manifest.modules?.function ?? []).map(({ handler }) => {
      const file = handler.slice(0, handler.lastIndexOf('.'));
      const found = HANDLER_EXTENSIONS.map((ext) => join(handlersDir, `${file}.${ext}`)).find((path) =>
        existsSync(join(root, path)),
      );
      if (!found) throw new Error(`no file for handler ${handler} in ${handlersDir}/`);
      return found;
    }),
  );
  return importClosure([...entries], join(root, 'tsconfig.json'), join(root, handlersDir), root);
}

/** One Custom UI resource: the Vite project whose `build/` the manifest names, and the sources of that build. */
export interface CustomUiSurface {
  readonly key: string;
  /** The Vite project, relative to the repository. */
  readonly dir: string;
  /** Relative to `dir`, as the linter is run from there. */
  readonly files: readonly string[];
}

/**
 * The sources of each Custom UI resource's build: what its index.html loads, with everything that imports from the
 * repository's `static/` folder, and classic scripts from the public folder all surfaces share
 * (static/common/vite-config.mts).
 */
export function customUiSurfaces(manifest: ManifestSchema, root = ROOT): CustomUiSurface[] {
  const staticDir = join(root, 'static');
  const publicDir = join(staticDir, 'common/public');
  return (manifest.resources ?? []).map(({ key, path }) => {
    const dir = join(root, dirname(path));
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/<script\b[^>]*\ssrc="([^"]+)"/g)].map(([, src = '']) => {
      const local = resolve(dir, src);
      return existsSync(local) ? local : resolve(publicDir, src);
    });
    return {
      key,
      dir: relative(root, dir),
      files: importClosure(entries, join(dir, 'tsconfig.json'), staticDir, dir),
    };
  });
}

/** Runs `lint` from `cwd`, whose tsconfig.json decides which TypeScript files it reads. */
async function lintFrom(
  cwd: string,
  files: readonly string[],
  manifest: ManifestSchema,
  linters?: LinterInterface[],
): Promise<LintResult[]> {
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return await lint([...files], manifest, ENVIRONMENT, silent, statsig, {
      linter: { mode: 'client-side' },
      parseFunction,
      ...(linters ? { linters } : {}),
    });
  } finally {
    process.chdir(previous);
  }
}

/**
 * Every client-side linter, as `forge lint` runs them from the app's root (the manifest linters read manifest.yml
 * there), or only `linters` when given.
 */
export function lintBackend(
  files: readonly string[],
  root = ROOT,
  linters?: (manifest: ManifestSchema) => LinterInterface[],
): Promise<LintResult[]> {
  const manifest = readManifest(root);
  return lintFrom(root, files, manifest, linters?.(manifest));
}

/**
 * The client-side linters that read code (permissions for product and external calls, invoke endpoints, storage,
 * deprecated APIs …), run from a Custom UI project. The manifest linters are left out: they read manifest.yml from
 * the working directory, and the backend run has already checked it.
 */
export async function lintCustomUi(surface: CustomUiSurface, root = ROOT): Promise<LintResult[]> {
  const manifest = readManifest(root);
  const linters = (await getClientSideLintersOnly(manifest, ENVIRONMENT, silent, statsig)).filter(
    (linter) => !(linter instanceof AbstractManifestLinter),
  );
  return lintFrom(join(root, surface.dir), surface.files, manifest, linters);
}

/** The linter that checks product calls against the manifest's scopes, alone. */
export const permissionLinterOnly = (manifest: ManifestSchema): LinterInterface[] => [
  new PermissionLinter(ENVIRONMENT, manifest, silent),
];

/** A lint problem as one line: `file:line:column message`. */
export interface Problems {
  readonly errors: string[];
  readonly warnings: string[];
  /** Server-side approvals; `forge lint` fails on these as on errors. */
  readonly approvals: string[];
}

export function problems(results: readonly LintResult[], base = ''): Problems {
  const lines = (kind: 'errors' | 'warnings' | 'approvals'): string[] =>
    results.flatMap((result) =>
      result[kind].map(({ line, column, message }) => `${join(base, result.file)}:${line}:${column} ${message}`),
    );
  return { errors: lines('errors'), warnings: lines('warnings'), approvals: lines('approvals') };
}

/** What a failing run prints: the errors and approvals, then the warnings for context. */
export function failures({ errors, warnings, approvals }: Problems): string[] {
  if (errors.length + approvals.length === 0) return [];
  return [
    ...errors,
    ...approvals.map((line) => `approval needed: ${line}`),
    ...warnings.map((line) => `warning: ${line}`),
  ];
}
