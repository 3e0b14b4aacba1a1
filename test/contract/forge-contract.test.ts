import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { checkForgeContract } from './forge-contract';

/** A small, consistent Forge app; each case below breaks exactly one link of it. */
const GOOD_APP: Record<string, string> = {
  'manifest.yml': `
modules:
  jira:issuePanel:
    - key: panel
      resource: panel
      resolver: { function: panel-resolver }
  trigger:
    - key: on-issue
      function: on-issue
      events: [avi:jira:updated:issue]
  function:
    - { key: panel-resolver, handler: index.panelResolver }
    - { key: on-issue, handler: index.onIssue }
resources:
  - key: panel
    path: static/panel/build
`,
  'src/index.ts': `// resolvers
export { default as panelResolver } from './resolvers/panel-resolver';
// triggers
export { onIssue } from './triggers/on-issue';
`,
  'src/resolvers/panel-resolver.ts': `import Resolver from '@forge/resolver';
const resolver = new Resolver();
resolver.define('project/load', async () => ({ success: true }));
resolver.define('project/apply', async () => ({ success: true }));
export default resolver.getDefinitions();
`,
  'src/triggers/on-issue.ts': 'export async function onIssue(): Promise<void> {}\n',
  'static/panel/src/App.tsx': `import { invoke } from '@forge/bridge';
export const load = () => invoke<{ ok: boolean }>('project/load', {});
export const apply = () => invoke('project/apply', {});
`,
  'static/common/src/useProject.ts': `import { invoke } from '@forge/bridge';
export const reload = () => invoke('project/load');
`,
};

function writeApp(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tollgate-contract-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

function check(changes: Record<string, string>): string[] {
  const root = writeApp({ ...GOOD_APP, ...changes });
  roots.push(root);
  return checkForgeContract(root);
}

describe('Forge contract: manifest ↔ src/index.ts ↔ resolver.define ↔ invoke', () => {
  it('holds for Tollgate itself', () => {
    expect(checkForgeContract(resolve(__dirname, '../..'))).toEqual([]);
  });

  it('holds for a consistent app', () => {
    expect(check({})).toEqual([]);
  });

  it.each([
    [
      'a handler src/index.ts does not export',
      { 'src/index.ts': "export { default as panelResolver } from './resolvers/panel-resolver';\n" },
      'function on-issue: src/index.ts does not export "onIssue"',
    ],
    [
      'an export no manifest function uses',
      { 'src/index.ts': `${GOOD_APP['src/index.ts']}export { onIssue as nightly } from './triggers/on-issue';\n` },
      'src/index.ts exports "nightly" but no manifest function uses it',
    ],
    [
      'a handler outside src/index.ts',
      { 'manifest.yml': GOOD_APP['manifest.yml']!.replace('index.onIssue', 'triggers.onIssue') },
      'function on-issue: handler "triggers.onIssue" must be "index.<export>"',
    ],
    [
      'a resolver module that is not getDefinitions()',
      { 'src/resolvers/panel-resolver.ts': 'export default async () => ({ success: true });\n' },
      'does not export resolver.getDefinitions()',
    ],
    [
      'a resolver function the manifest never declares',
      {
        'manifest.yml': GOOD_APP['manifest.yml']!.replace('function: panel-resolver }', 'function: missing-resolver }'),
      },
      'resolver function "missing-resolver" is not declared',
    ],
    [
      'an invoke key the resolver does not define',
      {
        'static/panel/src/App.tsx':
          "import { invoke } from '@forge/bridge';\nexport const x = () => invoke('project/delete');\n",
      },
      'static/panel/src/App.tsx invokes "project/delete" but the resolver of jira:issuePanel panel defines no such key',
    ],
    [
      'a shared invoke no resolver defines',
      {
        'static/common/src/useProject.ts':
          "import { invoke } from '@forge/bridge';\nexport const x = () => invoke('settings/save');\n",
      },
      'static/common/src/useProject.ts invokes "settings/save" but no resolver defines it',
    ],
  ])('fails on %s', (_case, changes, expected) => {
    // The first problem names the broken link; a broken link may also orphan what hangs off it.
    expect(check(changes)[0]).toContain(expected);
  });
});
