/**
 * A macro's `adfExport` function run the way Confluence's Word/PDF export runs it: the export type, the macro's
 * context with its saved config, the config again in the extension payload, and the exporting user as the principal
 * whom `asUser()` acts as; within the 25 s Forge gives it, recorded like every invocation.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createForgeRuntime } from './runtime';
import { createFakeJira } from './testing/fake-jira';
import type { ForgeRuntime, MacroExportRequest } from './types';

const API = JSON.stringify(require.resolve('@forge/api'));
const APP_ID = 'ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555';

/** An app with one macro whose adfExport is `exportSource` (CommonJS, src/index.js `exportMacro`). */
function writeMacroApp(dir: string, exportSource: string, withAdfExport = true): string {
  const root = mkdtempSync(join(dir, 'app-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(
    join(root, 'manifest.yml'),
    `app:\n  id: ${APP_ID}\nmodules:\n  macro:\n    - key: report\n      resource: main\n      resolver: { function: resolver }\n` +
      (withAdfExport ? '      adfExport: { function: export-macro }\n' : '') +
      '      title: Report\n      config: { resource: main }\n' +
      '  function:\n    - { key: resolver, handler: index.handler }\n    - { key: export-macro, handler: index.exportMacro }\n' +
      'resources:\n  - { key: main, path: static }\n',
  );
  writeFileSync(join(root, 'src', 'index.js'), `exports.handler = () => null;\n${exportSource}`);
  return root;
}

const request = (overrides: Partial<MacroExportRequest> = {}): MacroExportRequest => ({
  accountId: 'user-lead',
  exportType: 'pdf',
  localId: 'macro-1',
  extension: { content: { id: '98001', type: 'page' }, space: { key: 'PMO' }, config: { view: 'heat-map' } },
  locale: 'en-US',
  ...overrides,
});

describe('ForgeRuntime.exportMacro', () => {
  let dir: string;
  const runtimes: ForgeRuntime[] = [];

  async function start(appRoot: string, timeLimitScale = 1): Promise<ForgeRuntime> {
    const runtime = await createForgeRuntime({
      appRoot,
      jira: createFakeJira(),
      storagePath: ':memory:',
      siteUrl: 'http://localhost:8080',
      timeLimitScale,
    });
    runtimes.push(runtime);
    return runtime;
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'forge-adf-export-'));
  });
  afterEach(async () => {
    await Promise.all(runtimes.splice(0).map((r) => r.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes the export type, the saved config (in the context and the payload) and the exporting user', async () => {
    const root = writeMacroApp(
      dir,
      `const api = require(${API});
exports.exportMacro = async (event, context) => {
  const me = await (await api.asUser().requestJira(api.route\`/rest/api/3/myself\`)).json();
  return { type: 'doc', version: 1, content: [], seen: { event, principal: context.principal, asUser: me.displayName } };
};`,
    );
    const runtime = await start(root);
    const answer = (await runtime.exportMacro('report', request())) as { seen: Record<string, unknown> };
    expect(answer.seen).toEqual({
      event: expect.objectContaining({
        exportType: 'pdf',
        extensionPayload: { config: { view: 'heat-map' }, localId: 'macro-1' },
        context: expect.objectContaining({
          accountId: 'user-lead',
          localId: 'macro-1',
          moduleKey: 'report',
          extension: {
            type: 'macro',
            content: { id: '98001', type: 'page' },
            space: { key: 'PMO' },
            config: { view: 'heat-map' },
          },
        }),
      }),
      principal: { accountId: 'user-lead' },
      asUser: 'Pat Lead',
    });
    expect(runtime.invocations()).toEqual([
      expect.objectContaining({
        kind: 'adfExport',
        functionKey: 'export-macro',
        moduleKey: 'report',
        accountId: 'user-lead',
        outcome: 'ok',
      }),
    ]);
  });

  it('returns what crossed the wire: JSON, without functions or undefined fields', async () => {
    const root = writeMacroApp(
      dir,
      `exports.exportMacro = () => ({ type: 'doc', version: 1, content: [], dropped: undefined, fn() {} });`,
    );
    const runtime = await start(root);
    await expect(runtime.exportMacro('report', request())).resolves.toEqual({ type: 'doc', version: 1, content: [] });
  });

  it('runs an anonymous export with no principal, so asUser() is refused as Forge refuses it', async () => {
    const root = writeMacroApp(
      dir,
      `const api = require(${API});
exports.exportMacro = async (event, context) => {
  await api.asUser().requestJira(api.route\`/rest/api/3/myself\`);
  return { principal: context.principal ?? null };
};`,
    );
    const runtime = await start(root);
    await expect(runtime.exportMacro('report', request({ accountId: undefined }))).rejects.toThrow(/auth/i);
    expect(runtime.invocations()[0]).toEqual(expect.objectContaining({ kind: 'adfExport', outcome: 'error' }));
    expect(runtime.invocations()[0]?.accountId).toBeUndefined();
  });

  it('rejects with the function’s own message when it throws, and records the failure', async () => {
    const root = writeMacroApp(dir, `exports.exportMacro = () => { throw new Error('the table is on fire'); };`);
    const runtime = await start(root);
    await expect(runtime.exportMacro('report', request())).rejects.toThrow('the table is on fire');
    expect(runtime.invocations()).toEqual([
      expect.objectContaining({ kind: 'adfExport', outcome: 'error', error: 'the table is on fire' }),
    ]);
  });

  it('stops the function at Forge’s 25 s limit for UI functions', async () => {
    const root = writeMacroApp(dir, `exports.exportMacro = () => new Promise(() => undefined);`);
    // 25 s scaled to 25 ms: the function never answers, so the limit is what ends it.
    const runtime = await start(root, 0.001);
    await expect(runtime.exportMacro('report', request())).rejects.toThrow(
      'Function export-macro timed out after 25 s',
    );
    expect(runtime.invocations()).toEqual([
      expect.objectContaining({ kind: 'adfExport', outcome: 'timeout', error: 'exceeded 25 ms' }),
    ]);
  });

  it('names what cannot be exported: an unknown module, or a macro without adfExport', async () => {
    const runtime = await start(writeMacroApp(dir, 'exports.exportMacro = () => null;', false));
    await expect(runtime.exportMacro('nope', request())).rejects.toThrow('no macro module "nope"');
    await expect(runtime.exportMacro('report', request())).rejects.toThrow(
      'macro "report" declares no adfExport function',
    );
    expect(runtime.invocations()).toEqual([]);
  });
});
