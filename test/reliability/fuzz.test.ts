/**
 * Fuzzing every resolver key with malformed payloads: arbitrary JSON, and near-valid payloads broken by one to three
 * mutations (a value of the wrong type, a required key dropped, an extra or prototype-polluting key, a huge or blank
 * string, a negative, huge or fractional number, deep nesting). Every call must answer — never throw — with
 * `success: false`, the refusal the contract promises (INVALID_PAYLOAD, or REFUSED for an op the reducer judges) and a
 * sentence; nothing may be written to Jira or the KVS, and Object.prototype must stay clean.
 *
 * A mutant the published contract schema still accepts is not malformed (e.g. an extra key inside a non-strict
 * object, which is stripped); it is skipped with `fc.pre` and counted, so each key gets 1,000 payloads that are
 * malformed by the contract's own definition.
 */
import fc from 'fast-check';
import { type z } from 'zod';
import { PEOPLE } from '../../sandbox/seed/people';
import { type AdfDoc } from '../../src/app/adf';
import { adfProblems } from '../../src/app/testing/adf-validator';
import { jqlPreviewPayloadSchema, type SettingsLoadResult, settingsSavePayloadSchema } from '../../src/contract/admin';
import { type ResolverResponse } from '../../src/contract/envelope';
import {
  projectApplyPayloadSchema,
  projectLoadPayloadSchema,
  projectRestorePayloadSchema,
} from '../../src/contract/issue-panel';
import { macroLoadSchema } from '../../src/contract/macro';
import { portfolioCsvPayloadSchema, portfolioLoadPayloadSchema } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, jiraWriteCounter, recordFigures, type WorldState, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const ADMIN = PEOPLE.admin.accountId;
const OWNER = PEOPLE.owner.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const REDUCER_RUNS = Math.ceil(RUNS / 5);

jest.setTimeout(180_000);

// ------------------------------------------------------------------------------------------ payload generators

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;
type Kind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object';

function define(object: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy with `key` set as an own, enumerable property even for `__proto__`, as JSON.parse makes it on the server. */
function withKey(object: Record<string, Json>, key: string, value: Json): Record<string, Json> {
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(object)) define(copy, k, v);
  define(copy, key, value);
  return copy;
}

function kindOf(value: Json): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

/** Nodes deeper than this are left alone: a contract's own structure is shallow, and deep nesting comes from NASTY. */
const MUTATION_DEPTH = 8;

/** Every node of a JSON value down to MUTATION_DEPTH, root first. */
function pathsOf(value: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (prefix.length >= MUTATION_DEPTH) return out;
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pathsOf(item, [...prefix, i])));
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...prefix, key]));
  }
  return out;
}

function getAt(value: Json, path: Path): Json {
  return path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step] as Json, value);
}

/** A copy of `value` with the node at `path` replaced (`undefined`: removed). */
function setAt(value: Json, path: Path, replacement: Json | undefined): Json | undefined {
  if (path.length === 0) return replacement;
  const [step, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    const next = setAt(copy[step as number] as Json, rest, replacement);
    if (next === undefined) copy.splice(step as number, 1);
    else copy[step as number] = next;
    return copy;
  }
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>)) {
    const next = k === step ? setAt(v, rest, replacement) : v;
    if (next !== undefined) define(copy, k, next);
  }
  return copy;
}

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

function deeplyNested(depth: number, asArray: boolean): Json {
  let node: Json = 'bottom';
  for (let i = 0; i < depth; i += 1) node = asArray ? [node] : { a: node };
  return node;
}

/** Values that break things: huge and odd strings, extreme numbers, deep nesting, prototype-polluting objects. */
const NASTY: readonly Json[] = [
  'x'.repeat(100_000),
  'y'.repeat(1001),
  '',
  '   ',
  '\u0000',
  '\u202e',
  '😀'.repeat(50),
  '<script>alert(1)</script>',
  '=HYPERLINK("x")',
  -1,
  -0.5,
  0.5,
  -1e9,
  1e15,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  deeplyNested(1000, false),
  deeplyNested(1000, true),
  ...POLLUTING_KEYS.map((key) => withKey({}, key, withKey({ polluted: true }, key, { polluted: true }))),
  null,
  true,
  false,
  [],
  {},
  [null],
];

/** Arbitrary JSON, with the nasty values mixed in. */
const junk: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...NASTY), { maxLength: 3 }) },
);

/** One step of a mutation recipe: which operation, where, and the raw material it may use. */
interface Step {
  readonly op: number;
  readonly at: number;
  readonly pick: number;
  readonly key: string;
  readonly value: Json;
}

const step: fc.Arbitrary<Step> = fc.record({
  op: fc.nat(),
  at: fc.nat(),
  pick: fc.nat(),
  key: fc.oneof(fc.constantFrom(...POLLUTING_KEYS), fc.string({ maxLength: 12 })),
  value: junk,
});

/**
 * Applies one step: a value of another JSON kind (so a typed field can never accept it), a dropped key, an extra or
 * prototype-polluting key, or a nasty string or number in place of one. Plain functions over generated numbers keep
 * generation cheap: building arbitraries per payload costs more than the resolver call.
 */
function mutate(value: Json, s: Step): Json {
  const paths = pathsOf(value);
  const where = (filter: (node: Json) => boolean) => {
    const candidates = paths.filter((p) => filter(getAt(value, p)));
    return candidates.length > 0 ? candidates[s.at % candidates.length]! : null;
  };
  switch (s.op % 5) {
    case 0:
    default: {
      const path = paths[s.at % paths.length]!;
      const kind = kindOf(getAt(value, path));
      const others = [s.value, ...NASTY].filter((candidate) => kindOf(candidate) !== kind);
      return setAt(value, path, others[s.pick % others.length]) as Json;
    }
    case 1: {
      const path = paths.length > 1 ? paths[1 + (s.at % (paths.length - 1))]! : null;
      return path ? (setAt(value, path, undefined) ?? null) : mutate(value, { ...s, op: 0 });
    }
    case 2: {
      const path = where((node) => kindOf(node) === 'object');
      if (!path) return mutate(value, { ...s, op: 0 });
      return setAt(value, path, withKey(getAt(value, path) as Record<string, Json>, s.key, s.value)) as Json;
    }
    case 3:
    case 4: {
      const kind: Kind = s.op % 5 === 3 ? 'string' : 'number';
      const path = where((node) => kindOf(node) === kind);
      const nasty = NASTY.filter((candidate) => kindOf(candidate) === kind);
      return path ? (setAt(value, path, nasty[s.pick % nasty.length]) as Json) : mutate(value, { ...s, op: 0 });
    }
  }
}

/** Malformed payloads for a key: mostly one to three mutations of a valid seed, some pure junk. */
function malformed(seeds: readonly Json[]): fc.Arbitrary<Json> {
  const mutants = fc
    .tuple(fc.nat(seeds.length - 1), fc.array(step, { minLength: 1, maxLength: 3 }))
    .map(([seed, steps]) => steps.reduce(mutate, seeds[seed]!));
  return fc.oneof({ weight: 4, arbitrary: mutants }, { weight: 1, arbitrary: junk });
}

/** Any JSON of another kind than `original`. */
function otherKind(original: Json): fc.Arbitrary<Json> {
  return fc.tuple(junk, fc.nat()).map(([value, pick]) => {
    const others = [value, ...NASTY].filter((candidate) => kindOf(candidate) !== kindOf(original));
    return others[pick % others.length]!;
  });
}

// ------------------------------------------------------------------------------------------ the suite

describe('fuzzing every resolver key with malformed payloads', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let key: string;
  let writes: ReturnType<typeof jiraWriteCounter>;
  let before: WorldState;
  let settingsForm: Json;
  const figures: Record<string, unknown> = {};
  const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort().join(',');
  let cleanPrototype: string;

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    const issue = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen');
    key = issue!.key;
    const started = await call.panel(
      LEAD,
      'project/apply',
      { op: { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version } },
      key,
    );
    expect(started.success).toBe(true);
    await call.panel(
      LEAD,
      'project/apply',
      {
        op: {
          type: 'addRaidItem',
          item: { type: 'risk', title: 'Supplier insolvency', owner: OWNER, likelihood: 3, impact: 4 },
        },
      },
      key,
    );
    const loaded = (await call.admin<SettingsLoadResult>(ADMIN, 'settings/load', {})) as {
      success: true;
      data: SettingsLoadResult;
    };
    settingsForm = JSON.parse(
      JSON.stringify({ ...loaded.data.settings, expectedVersion: loaded.data.version }),
    ) as Json;
    // A first portfolio load queues any stale health rewrite; drain it so the fuzzing starts from a settled world.
    await call.portfolio(LEAD, 'portfolio/load', {});
    await world.runtime.drainQueue();
    writes = jiraWriteCounter(world);
    before = await worldState(world);
    cleanPrototype = prototypeKeys();
  });
  afterAll(async () => {
    writes.stop();
    recordFigures('fuzz', { payloadsPerKey: figures, runsPerKey: RUNS });
    await world.close();
  });

  /**
   * Runs `RUNS` malformed payloads through one key and checks each answer; `accepts` is the contract's own schema
   * (a payload it accepts is skipped), `send` makes the call, `expected` the refusals the contract allows.
   */
  async function fuzz(
    name: string,
    payloads: fc.Arbitrary<Json>,
    accepts: (payload: Json) => boolean,
    send: (payload: Json) => Promise<ResolverResponse<unknown>>,
    expected: readonly string[] = ['INVALID_PAYLOAD'],
    runs = RUNS,
  ): Promise<void> {
    const stats = { sent: 0, skippedValid: 0, byErrorType: {} as Record<string, number>, largestPayloadChars: 0 };
    await fc.assert(
      fc.asyncProperty(payloads, async (payload) => {
        if (accepts(payload)) {
          stats.skippedValid += 1;
          fc.pre(false);
        }
        stats.sent += 1;
        stats.largestPayloadChars = Math.max(stats.largestPayloadChars, JSON.stringify(payload)?.length ?? 0);
        const writesBefore = writes.count();
        // Forge serialises the payload as JSON on the way over the bridge.
        const response = await send(JSON.parse(JSON.stringify(payload) ?? 'null') as Json);
        expect(response.success).toBe(false);
        if (response.success) return;
        expect(response.errors.length).toBeGreaterThan(0);
        const [error] = response.errors;
        stats.byErrorType[error!.errorType] = (stats.byErrorType[error!.errorType] ?? 0) + 1;
        expect(expected).toContain(error!.errorType);
        expect(error!.message.trim().length).toBeGreaterThan(10);
        if (error!.errorType === 'INVALID_PAYLOAD') expect(error!.problems?.length).toBeGreaterThan(0);
        expect(writes.count()).toBe(writesBefore);
      }),
      { numRuns: runs, maxSkipsPerRun: 1000 },
    );
    figures[name] = stats;
    expect(stats.sent).toBe(runs);
    expect(changesBetween(before, await worldState(world))).toEqual([]);
    expect(prototypeKeys()).toBe(cleanPrototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }

  // @forge/resolver hands the function `payload || {}`, so a falsy payload is an empty one (and valid where {} is).
  const accepts = (schema: z.ZodType) => (payload: Json) => schema.safeParse(payload || {}).success;

  describe('issue panel', () => {
    it('project/load', () =>
      fuzz('project/load', malformed([{}]), accepts(projectLoadPayloadSchema), (p) =>
        call.panel(LEAD, 'project/load', p, key),
      ));

    it('project/apply', () => {
      const ops: Json[] = [
        {
          op: {
            type: 'checkItem',
            gateId: G1.id,
            criterionId: 'strategic-fit',
            state: 'done',
            note: 'Fits',
            evidence: [{ url: 'https://wiki.example/fit', title: 'Fit' }],
          },
        },
        { op: { type: 'checkItem', gateId: G1.id, criterionId: 'synergies', state: 'done', score: 7 } },
        {
          op: {
            type: 'decideGate',
            gateId: G1.id,
            outcome: 'CONDITIONAL_GO',
            rationale: 'Fits the plan',
            conditions: ['Secure the heat supplier'],
            conditionsDueDate: '2027-01-15',
            nextGateDate: '2027-02-01',
          },
        },
        {
          op: {
            type: 'addRaidItem',
            item: {
              type: 'risk',
              title: 'Permit delay',
              owner: OWNER,
              likelihood: 2,
              impact: 3,
              residualLikelihood: 1,
            },
          },
        },
        {
          op: {
            type: 'addRaidItem',
            item: {
              type: 'dependency',
              title: 'Grid capacity',
              owner: OWNER,
              direction: 'inbound',
              counterpartyKey: 'PMO-2',
              deliveryStatus: 'on-track',
            },
          },
        },
        { op: { type: 'updateRaidItem', id: 'R-1', changes: { likelihood: 4 } } },
        { op: { type: 'closeRaidItem', id: 'R-1', note: 'Supplier replaced' } },
        { op: { type: 'recordStatusReview', summary: 'On track', confidence: 'high' } },
        {
          op: {
            type: 'setTolerance',
            tolerance: {
              aspect: 'cost',
              level: 'project',
              baseline: 100,
              forecast: 100,
              plus: 10,
              minus: 5,
              unit: 'EUR k',
            },
          },
        },
        { op: { type: 'setNextGateDate', nextGateDate: '2027-03-01' } },
        { op: { type: 'setPriorityInputs', inputs: { businessValue: 8, timeCriticality: 5, jobSize: 3 } } },
      ];
      return fuzz('project/apply', malformed(ops), accepts(projectApplyPayloadSchema), (p) =>
        call.panel(LEAD, 'project/apply', p, key),
      );
    });

    it('project/apply: updateRaidItem with fuzzed changes is refused by the reducer, polluting keys included', () => {
      const changes = fc
        .tuple(
          fc.dictionary(
            fc.oneof(
              fc.constantFrom(...POLLUTING_KEYS, 'title', 'owner', 'id', 'status', 'type'),
              fc.string({ maxLength: 8 }),
            ),
            junk,
            { maxKeys: 4 },
          ),
          otherKind(4),
        )
        // The likelihood always has the wrong type, so no set of changes can be a valid risk.
        .map(([extra, likelihood]) => withKey(extra, 'likelihood', likelihood));
      return fuzz(
        'project/apply updateRaidItem.changes',
        changes.map((c) => ({ op: { type: 'updateRaidItem', id: 'R-1', changes: c } })),
        () => false,
        (p) => call.panel(LEAD, 'project/apply', p, key),
        ['INVALID_PAYLOAD', 'REFUSED'],
        // Each of these reads the project from Jira before the reducer refuses it (~35 ms), so fewer runs; the key's
        // 1,000 malformed payloads are the project/apply property above.
        REDUCER_RUNS,
      );
    });

    it('project/restore', () =>
      fuzz('project/restore', malformed([{}]), accepts(projectRestorePayloadSchema), (p) =>
        call.panel(LEAD, 'project/restore', p, key),
      ));
  });

  describe('portfolio', () => {
    const filter = {
      rag: ['red', 'amber'],
      stage: ['Discovery'],
      owner: [OWNER],
      department: ['Heat'],
      decision: ['GO'],
      status: ['active'],
      text: 'wind',
      cell: { likelihood: 4, impact: 5 },
    };
    it('portfolio/load', () =>
      fuzz(
        'portfolio/load',
        malformed([
          {
            filter,
            sort: { by: 'dueDate', direction: 'asc' },
            page: { offset: 10, limit: 20 },
            jql: 'project = PMO',
            asOf: '2026-11-02',
          },
          { page: { offset: 0, limit: 100 } },
        ]),
        accepts(portfolioLoadPayloadSchema),
        (p) => call.portfolio(LEAD, 'portfolio/load', p),
      ));
    it('portfolio/csv', () =>
      fuzz(
        'portfolio/csv',
        malformed([{ filter, sort: { by: 'rag', direction: 'desc' }, jql: 'project = PMO' }]),
        accepts(portfolioCsvPayloadSchema),
        (p) => call.portfolio(LEAD, 'portfolio/csv', p),
      ));
  });

  describe('admin', () => {
    it('settings/load', () =>
      fuzz(
        'settings/load',
        malformed([{}]),
        (p) => !p || (typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0),
        (p) => call.admin(ADMIN, 'settings/load', p),
      ));
    it('settings/save', () =>
      fuzz('settings/save', malformed([settingsForm]), accepts(settingsSavePayloadSchema), (p) =>
        call.admin(ADMIN, 'settings/save', p),
      ));
    it('settings/previewJql', () =>
      fuzz(
        'settings/previewJql',
        malformed([{ jql: 'project = PMO AND issuetype = Project' }]),
        accepts(jqlPreviewPayloadSchema),
        (p) => call.admin(ADMIN, 'settings/previewJql', p),
      ));
  });

  describe('macro', () => {
    const configs: Json[] = [
      { view: 'portfolio-table', columns: ['key', 'summary', 'rag'], limit: 10, jql: 'project = PMO' },
      { view: 'project-status', projectKey: 'PMO-2', asOf: '2026-11-02' },
      { view: 'heat-map', projectKey: 'PMO-3' },
      { view: 'decision-log', limit: 50, asOf: '2026-10-01' },
      { view: 'exceptions', limit: 5 },
    ];
    const configAccepted = (config: Json) => macroLoadSchema.safeParse({ config }).success;

    it('macro/load with a fuzzed context.extension.config', () =>
      fuzz('macro/load', malformed(configs), configAccepted, (config) => call.macro(LEAD, config)));

    it('macroAdfExport with fuzzed events: never throws, always valid ADF, says the settings are not valid', async () => {
      const places: Array<(config: Json) => Json> = [
        (config) => ({ exportType: 'pdf', extensionPayload: { config } }),
        (config) => ({ exportType: 'word', context: { extension: { config } } }),
        (config) => ({ context: { config } }),
        (config) => ({ config }),
      ];
      const noise = fc.dictionary(
        fc.oneof(fc.constantFrom(...POLLUTING_KEYS, 'exportType', 'contentId'), fc.string({ maxLength: 6 })),
        junk,
        { maxKeys: 3 },
      );
      const events = fc
        .tuple(malformed(configs), fc.nat(places.length - 1), noise)
        // A null configuration is an unconfigured macro to the export (it shows the default table), so it is not
        // malformed there; see the macro/load note in README.md.
        .filter(([config]) => config !== null && !configAccepted(config))
        .map(([config, place, extra]) => {
          let event = places[place]!(config) as Record<string, Json>;
          for (const [k, v] of Object.entries(extra)) if (!(k in event)) event = withKey(event, k, v);
          return event;
        });
      const stats = { sent: 0, notValidMessages: 0, unsignedMessages: 0, arbitraryEvents: 0, tables: 0 };
      const check = async (accountId: string | null, event: Json, invocation: Json): Promise<AdfDoc> => {
        const writesBefore = writes.count();
        const document = await call.adfExport(accountId, JSON.parse(JSON.stringify(event) ?? 'null'), invocation);
        stats.sent += 1;
        expect(adfProblems(document)).toEqual([]);
        expect(writes.count()).toBe(writesBefore);
        if (document.content.some((node) => node.type === 'table')) stats.tables += 1;
        return document;
      };
      // Invalid configurations in every place an export may carry them: a sentence naming the problem.
      await fc.assert(
        fc.asyncProperty(events, async (event) => {
          const text = JSON.stringify(await check(LEAD, event, { principal: { accountId: LEAD } }));
          expect(text).toContain("This Tollgate macro's settings are not valid");
          stats.notValidMessages += 1;
        }),
        { numRuns: RUNS - 100 },
      );
      // Fuzzed invocations without a principal: no data, a sentence.
      await fc.assert(
        fc.asyncProperty(junk, junk, async (event, invocation) => {
          fc.pre(
            !(invocation !== null && typeof invocation === 'object' && 'principal' in invocation) &&
              !(event !== null && typeof event === 'object' && 'context' in event),
          );
          const text = JSON.stringify(await check(null, event, invocation));
          expect(text).toContain('only to a signed-in Jira user');
          stats.unsignedMessages += 1;
        }),
        { numRuns: 95 },
      );
      // Wholly arbitrary events as the outsider: whatever they resolve to, valid ADF and nothing of CONF.
      await fc.assert(
        fc.asyncProperty(junk, async (event) => {
          const text = JSON.stringify(await check(OUTSIDER, event, { principal: { accountId: OUTSIDER } }));
          expect(text).not.toMatch(/CONF-\d/);
          stats.arbitraryEvents += 1;
        }),
        // Each of these runs a whole export (a portfolio search); the permissions suite covers the outsider in depth.
        { numRuns: 5 },
      );
      figures.macroAdfExport = stats;
      expect(stats.sent).toBe(RUNS);
      await world.runtime.drainQueue();
      expect(changesBetween(before, await worldState(world))).toEqual([]);
      expect(prototypeKeys()).toBe(cleanPrototype);
    });
  });
});
