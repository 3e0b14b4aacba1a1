import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildResources } from '../../sandbox/build-resources';
import {
  customUiSurfaces,
  deployedBackendFiles,
  failures,
  lintBackend,
  lintCustomUi,
  offlineLintEnvironment,
  permissionLinterOnly,
  problems,
  readManifest,
  ROOT,
  UNCHECKED_PRODUCT_CALLS,
} from './forge-lint';

// Each manifest linter compiles @forge/manifest's schema (~5 s apiece); the whole backend run takes about half a
// minute.
jest.setTimeout(180_000);

let restore: () => void = () => undefined;
beforeAll(() => {
  restore = offlineLintEnvironment();
});
afterAll(() => restore());

const manifest = readManifest();
const backend = deployedBackendFiles(manifest);
const surfaces = customUiSurfaces(manifest);

/** The files a run produced results for: each code linter reports on every file it parsed. */
const linted = (results: readonly { file: string }[]): string[] =>
  [...new Set(results.map(({ file }) => file))].filter((file) => file !== 'manifest.yml').sort();

describe('@forge/lint (client-side, offline)', () => {
  it('lints the backend the handlers bundle, and the manifest, with no errors', async () => {
    // FULL manifest validation checks that every resource folder exists, as `forge deploy` does.
    buildResources(ROOT);
    expect(backend).toContain('src/index.ts');
    const results = await lintBackend(backend);
    // Every file was read: the tsconfig's include really matches them.
    expect(linted(results)).toEqual(backend);
    expect(results.map(({ file }) => file)).toContain('manifest.yml');
    expect(failures(problems(results))).toEqual([]);
  });

  it.each(surfaces.map((surface) => [surface.key, surface] as const))(
    'lints the sources of the %s Custom UI build with no errors',
    async (_key, surface) => {
      expect(surface.files).toContain('src/main.tsx');
      const results = await lintCustomUi(surface);
      expect(linted(results)).toEqual(surface.files.filter((file) => /\.[jt]sx?$/.test(file)));
      expect(failures(problems(results, surface.dir))).toEqual([]);
    },
  );

  it('makes no product call it could not check against a vendored OpenAPI document', () => {
    const files = [...backend, ...surfaces.flatMap(({ dir, files: own }) => own.map((file) => join(dir, file)))];
    const unchecked = files.flatMap((file) => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      return UNCHECKED_PRODUCT_CALLS.filter((pattern) => pattern.test(text)).map((pattern) => `${file}: ${pattern}`);
    });
    expect(unchecked).toEqual([]);
  });
});

describe('the offline linter setup', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

  /** A one-function app whose tsconfig and manifest are shaped like Tollgate's. */
  function app(code: string): string {
    const root = mkdtempSync(join(tmpdir(), 'tollgate-forge-lint-app-'));
    roots.push(root);
    const files: Record<string, string> = {
      'manifest.yml': `app:
  id: ari:cloud:ecosystem::app/00000000-0000-4000-8000-000000000000
  runtime:
    name: nodejs22.x
permissions:
  scopes: [read:jira-work, write:jira-work]
modules:
  function:
    - key: handler
      handler: index.handler
`,
      'tsconfig.json': readFileSync(join(ROOT, 'tsconfig.json'), 'utf8'),
      'src/index.ts': `export { handler } from './adapters/call';\n`,
      'src/adapters/call.ts': code,
    };
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return root;
  }

  it('finds a Jira call whose scope the manifest lacks', async () => {
    const root = app(`import api, { route } from '@forge/api';
export const handler = () => api.asApp().requestJira(route\`/rest/api/3/field\`, { method: 'POST' });
`);
    const results = await lintBackend(['src/index.ts', 'src/adapters/call.ts'], root, permissionLinterOnly);
    expect(problems(results).errors).toEqual([
      'src/adapters/call.ts:2:53 Jira endpoint: POST /rest/api/3/field requires "manage:jira-configuration" scope',
    ]);
  });
});
