import { resolve } from 'node:path';
import { loadManifest, ManifestError, parseManifest } from './manifest';

const APP = 'app:\n  id: ari:cloud:ecosystem::app/11111111-2222-4333-8444-555555555555\n';

function manifest(modules: string, extra = ''): string {
  return `${APP}modules:\n${modules}${extra}`;
}

describe('loadManifest', () => {
  it('indexes every module of the fixture app', () => {
    const m = loadManifest(resolve(__dirname, '../../test/fixtures/forge-app'));
    expect(m.appId).toBe('9d3f6b1a-2c4e-4f8a-9b7c-1e5d3a2f4c60');
    expect(m.appAri).toBe('ari:cloud:ecosystem::app/9d3f6b1a-2c4e-4f8a-9b7c-1e5d3a2f4c60');
    expect(m.functions.get('resolver')).toEqual({
      key: 'resolver',
      file: 'index',
      exportName: 'handler',
      memoryMB: 512,
    });
    expect(m.functions.get('job-worker')).toEqual({
      key: 'job-worker',
      file: 'index',
      exportName: 'jobWorker',
      timeoutSeconds: 60,
      memoryMB: 512,
    });
    expect(m.uiModules.get('fixture-page')).toMatchObject({
      type: 'jira:globalPage',
      resource: 'page',
      resolverFunction: 'resolver',
    });
    expect(m.triggers).toEqual([
      {
        key: 'fixture-issue-updated',
        functionKey: 'on-issue-updated',
        events: ['avi:jira:updated:issue'],
        ignoreSelf: true,
      },
    ]);
    expect(m.scheduledTriggers.get('fixture-hourly')).toEqual({
      key: 'fixture-hourly',
      functionKey: 'hourly',
      interval: 'hour',
    });
    expect(m.consumers).toEqual([{ key: 'fixture-jobs-consumer', queue: 'fixture-jobs', functionKey: 'job-worker' }]);
    expect(m.workflowValidators).toEqual([{ key: 'fixture-gate-validator', functionKey: 'validate-gate' }]);
    expect(m.resources.get('page')).toEqual({ key: 'page', path: 'static/hello/build' });
    expect(m.scopes).toContain('storage:app');
  });

  it("can index the real app's manifest.yml, so the sandbox can run it", () => {
    expect(loadManifest(resolve(__dirname, '../..')).appId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('parseManifest', () => {
  it('indexes a macro with its adfExport function and an expression validator', () => {
    const m = parseManifest(
      manifest(
        '  macro:\n    - key: health\n      resource: main\n      resolver: { function: fn }\n      adfExport: { function: fn }\n' +
          '  jira:workflowValidator:\n    - { key: expr, name: n, description: d, expression: "true" }\n' +
          '  function:\n    - { key: fn, handler: index.run }\n',
        'resources:\n  - { key: main, path: static/main }\n',
      ),
    );
    expect(m.uiModules.get('health')).toMatchObject({ type: 'macro', adfExportFunction: 'fn' });
    expect(m.workflowValidators).toEqual([{ key: 'expr', expression: 'true' }]);
  });

  it('indexes an issue context panel and global pages with the native and blank layouts', () => {
    const m = parseManifest(
      manifest(
        '  jira:issueContext:\n    - { key: ctx, resource: main, title: C, label: L, status: { type: lozenge, value: { label: S } } }\n' +
          '  jira:globalPage:\n    - { key: native, resource: main, title: N, layout: native }\n' +
          '    - { key: blank, resource: main, title: B, layout: blank }\n',
        'resources:\n  - { key: main, path: static/main }\n',
      ),
    );
    expect(m.uiModules.get('ctx')).toMatchObject({ type: 'jira:issueContext', resource: 'main' });
    expect([...m.uiModules.values()].map((module) => module.definition.layout)).toEqual([undefined, 'native', 'blank']);
  });

  it('splits a handler on its last dot, so handlers in sub-folders load', () => {
    const m = parseManifest(manifest('  function:\n    - { key: fn, handler: jobs/worker.run }\n'));
    expect(m.functions.get('fn')).toEqual({ key: 'fn', file: 'jobs/worker', exportName: 'run', memoryMB: 512 });
  });

  it.each([
    [
      'an unknown function',
      '  trigger:\n    - { key: t, function: nope, events: [avi:jira:updated:issue] }\n',
      /unknown function "nope"/,
    ],
    [
      'an unknown resource',
      '  jira:issuePanel:\n    - { key: p, resource: missing, title: P, icon: x }\n',
      /unknown resource "missing"/,
    ],
    [
      'a validator with both function and expression',
      '  jira:workflowValidator:\n    - { key: v, function: fn, expression: "true" }\n  function:\n    - { key: fn, handler: index.v }\n',
      /exactly one of "function" or "expression"/,
    ],
    [
      'a trigger filter expression, which only Jira can evaluate',
      '  trigger:\n    - { key: t, function: fn, events: [e], filter: { expression: "true" } }\n  function:\n    - { key: fn, handler: index.t }\n',
      /filter.expression is not supported/,
    ],
    [
      'a v1 consumer with a resolver',
      '  consumer:\n    - { key: c, queue: q, resolver: { function: fn, method: m } }\n',
      /deprecated @forge\/events v1 syntax/,
    ],
    [
      'two consumers on one queue',
      '  consumer:\n    - { key: a, queue: q, function: fn }\n    - { key: b, queue: q, function: fn }\n  function:\n    - { key: fn, handler: index.c }\n',
      /queue "q" has more than one consumer/,
    ],
    ['a handler without an export', '  function:\n    - { key: fn, handler: index }\n', /must be "<file>.<export>"/],
    [
      'the deprecated jira:issueGlance',
      '  jira:issueGlance:\n    - { key: g, resource: main, title: G, label: G }\n',
      /jira:issueGlance g: jira:issueGlance is deprecated; use jira:issueContext/,
    ],
    [
      'the deprecated basic layout of a global page',
      '  jira:globalPage:\n    - { key: p, resource: main, title: P, layout: basic }\n',
      /layout "basic" is deprecated; use native or blank/,
    ],
    [
      'an unknown global page layout',
      '  jira:globalPage:\n    - { key: p, resource: main, title: P, layout: wide }\n',
      /layout "wide" is unknown/,
    ],
    [
      'an unknown schedule interval',
      '  scheduledTrigger:\n    - { key: s, function: fn, interval: minute }\n',
      /interval must be one of/,
    ],
  ])('refuses %s', (_what, modules, message) => {
    expect(() => parseManifest(manifest(modules))).toThrow(message);
  });

  it('refuses an app id that is not a Forge app ARI', () => {
    expect(() => parseManifest('app:\n  id: my-app\n')).toThrow(ManifestError);
  });
});
