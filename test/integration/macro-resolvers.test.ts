import { sql } from '@forge/sql';
import { PEOPLE } from '../../sandbox/seed/people';
import { type AdfDoc, type AdfInline, type AdfTable } from '../../src/app/adf';
import { ENTRY_VERSION } from '../../src/app/projection';
import { adfProblems } from '../../src/app/testing/adf-validator';
import { ENGLISH } from '../../src/app/words';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type MacroCell, type MacroData, type MacroScopeCheck } from '../../src/contract/macro';
import { addCalendarDays } from '../../src/domain/time';
import { mondayOf } from '../../src/domain/trend';
import macroResolver, { macroAdfExport } from '../../src/resolvers/macro-resolvers';
import { type BackendWorld, startBackendWorld, TODAY } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;

jest.setTimeout(30_000);

/** What a table cell of the export says, as text: its text, its lozenge's label, or its mention's id. */
function inlineText(node: AdfInline): string {
  if (node.type === 'text') return node.text;
  if (node.type === 'status') return node.attrs.text;
  return node.attrs.id;
}

/** What the same cell of the live macro says, in the terms the export uses. */
function cellText(cell: MacroCell): string {
  switch (cell.kind) {
    case 'text':
      return cell.text;
    case 'rag':
      return { green: 'GREEN', amber: 'AMBER', red: 'RED', none: 'NOT ASSESSED' }[cell.rag];
    case 'user':
      return cell.accountId;
    case 'date':
      return ENGLISH.date(cell.day);
    case 'risk':
      return `${cell.count} · ${cell.band.charAt(0).toUpperCase()}${cell.band.slice(1)}`;
  }
}

function tableOf(document: AdfDoc): AdfTable {
  const found = document.content.find((node): node is AdfTable => node.type === 'table');
  if (!found) throw new Error(`no table in ${JSON.stringify(document).slice(0, 300)}`);
  return found;
}

describe('macro resolver and adfExport in the sandbox', () => {
  let world: BackendWorld;
  const thisMonday = mondayOf(TODAY);

  /** `macro/load` as Forge calls it: the saved config arrives in the context, the reader as the principal. */
  const load = (accountId: string, config: unknown, locale = 'en-US'): Promise<ResolverResponse<MacroData>> =>
    world.as(
      accountId,
      () =>
        macroResolver(
          {
            call: { functionKey: 'macro/load', payload: {} },
            context: { extension: { type: 'macro', config }, locale, timezone: 'Europe/Oslo' },
          },
          { principal: { accountId } },
        ) as Promise<ResolverResponse<MacroData>>,
    );
  const data = async (accountId: string, config: unknown, locale?: string): Promise<MacroData> => {
    const response = await load(accountId, config, locale);
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  /** The export as Confluence triggers it: the config in the extension payload, the exporting user as principal. */
  const exported = (accountId: string | null, config: unknown, locale?: string): Promise<AdfDoc> =>
    world.as(accountId, () =>
      macroAdfExport(
        { exportType: 'pdf', extensionPayload: { config }, context: { locale, timezone: 'Europe/Oslo' } },
        accountId === null ? {} : { principal: { accountId } },
      ),
    );

  /** The export is valid ADF and its table holds exactly the live macro's rows. */
  async function expectExportMatches(accountId: string, config: unknown, live: MacroData): Promise<AdfDoc> {
    const document = await exported(accountId, config);
    expect(adfProblems(document)).toEqual([]);
    expect(document.content[0]).toMatchObject({ type: 'heading', content: [{ text: live.title }] });
    const table = tableOf(document);
    const [header, ...rows] = table.content;
    expect(header?.content.every((cell) => cell.type === 'tableHeader')).toBe(true);
    expect(header?.content.map((cell) => cell.content[0]?.content.map(inlineText).join(''))).toEqual(
      live.table.columns.map((column) => column.header),
    );
    expect(rows.map((row) => row.content.map((cell) => cell.content[0]?.content.map(inlineText).join('')))).toEqual(
      live.table.rows.map((row) => row.cells.map(cellText)),
    );
    return document;
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    await world.as(null, () =>
      world.deps.readModel.saveSnapshot(addCalendarDays(thisMonday, -7), [
        { key: 'PMO-1', rag: 'green' },
        { key: 'PMO-2', rag: 'red' },
        { key: 'CONF-1', rag: 'red' },
      ]),
    );
  });
  afterAll(() => world.close());

  it('says how many rows an upgrade has not brought up to date yet, which its figures leave out', async () => {
    const config = { view: 'portfolio-table', columns: ['key', 'rag'], limit: 10 };
    await world.as(null, () =>
      sql.prepare("UPDATE project_projection SET fig_version = NULL WHERE issue_key = 'PMO-1'").execute(),
    );
    try {
      const live = await data(LEAD, config);
      expect(live.notes).toContain(
        '1 project is still being brought up to date after an upgrade and is not counted in these figures yet.',
      );
    } finally {
      await world.as(null, () =>
        sql
          .prepare("UPDATE project_projection SET fig_version = ? WHERE issue_key = 'PMO-1'")
          .bindParams(ENTRY_VERSION)
          .execute(),
      );
    }
    expect((await data(LEAD, config)).notes.join(' ')).not.toContain('brought up to date');
  });

  it('portfolio table: the worst projects first, the configured columns, RAG lozenges in the export', async () => {
    const config = { view: 'portfolio-table', columns: ['key', 'summary', 'owner', 'rag', 'ragRisk'], limit: 10 };
    const live = await data(LEAD, config);
    expect(live.table.columns.map((c) => c.id)).toEqual(['key', 'summary', 'owner', 'rag', 'ragRisk']);
    expect(live.table).toMatchObject({ total: 40 });
    expect(live.table.rows).toHaveLength(10);
    expect(live.table.rows.every((row) => row.cells[3]?.kind === 'rag')).toBe(true);
    expect(live.notes).toContain('Showing 10 of 40 projects, worst first.');
    const document = await expectExportMatches(LEAD, config, live);
    const lozenge = tableOf(document).content[1]?.content[3]?.content[0]?.content[0];
    expect(lozenge).toEqual({ type: 'status', attrs: { text: 'RED', color: 'red' } });

    const outsider = await data(OUTSIDER, { ...config, limit: 100 });
    expect(outsider.table.total).toBe(37);
    expect(outsider.table.rows.map((row) => row.issueKey).filter((key) => key?.startsWith('CONF-'))).toEqual([]);
  });

  it('narrows by JQL, and a reader who cannot browse the narrowed project sees an empty table, not an error', async () => {
    const config = { view: 'portfolio-table', jql: 'project = CONF' };
    expect((await data(LEAD, config)).table.total).toBe(3);
    expect((await data(OUTSIDER, config)).table.total).toBe(0);
    const document = await exported(OUTSIDER, config);
    expect(adfProblems(document)).toEqual([]);
    expect(tableOf(document).content).toHaveLength(1);
  });

  it('project status: one row per health dimension with its reasons in words', async () => {
    const config = { view: 'project-status', projectKey: 'PMO-2' };
    const live = await data(LEAD, config);
    expect(live.title).toMatch(/^PMO-2: /);
    expect(live.table.rows.map((row) => row.id)).toEqual([
      'schedule',
      'gate',
      'risk',
      'raid',
      'budget',
      'tolerance',
      'staleness',
    ]);
    expect(live.summary.map((s) => s.label)).toEqual([
      'Health',
      'Stage',
      'Status',
      'Last decision',
      'Next gate',
      'Owner',
      'Integrity',
    ]);
    // Reasons read as sentences, not codes.
    expect(live.table.rows.flatMap((row) => cellText(row.cells[2]!)).join(' ')).not.toMatch(/\b[a-z]+\.[a-z]+[A-Z]/);
    await expectExportMatches(LEAD, config, live);
  });

  it('project status of a project the reader cannot see is NOT_FOUND live, and a sentence in the export', async () => {
    const config = { view: 'project-status', projectKey: 'CONF-1' };
    expect(await load(OUTSIDER, config)).toMatchObject({ success: false, errors: [{ errorType: 'NOT_FOUND' }] });
    const document = await exported(OUTSIDER, config);
    expect(adfProblems(document)).toEqual([]);
    expect(document.content.some((node) => node.type === 'table')).toBe(false);
    expect(JSON.stringify(document)).toContain('CONF-1 does not exist or you do not have permission to see it');
  });

  it('heat map: the 5×5 residual grid, likelihood 5 at the top, counts adding up to the open risks', async () => {
    const config = { view: 'heat-map' };
    const live = await data(LEAD, config);
    expect(live.table.rows.map((row) => row.id)).toEqual([5, 4, 3, 2, 1].map((l) => `likelihood-${l}`));
    expect(live.table.columns).toHaveLength(6);
    const counts = live.table.rows.flatMap((row) =>
      row.cells.flatMap((cell) => (cell.kind === 'risk' ? [cell.count] : [])),
    );
    expect(counts).toHaveLength(25);
    expect(counts.reduce((sum, n) => sum + n, 0)).toBe(Number(cellText(live.summary[0]!.cell)));
    expect(live.table.rows[0]?.cells[5]).toMatchObject({ kind: 'risk', band: 'extreme' });
    await expectExportMatches(LEAD, config, live);
  });

  it('decision log: latest first, who decided as a mention, and as of a date only what was decided by then', async () => {
    const config = { view: 'decision-log', limit: 100 };
    const live = await data(LEAD, config);
    expect(live.table.total).toBeGreaterThan(10);
    const dayOf = (cell: MacroCell | undefined) => (cell?.kind === 'date' ? cell.day : '');
    const days = live.table.rows.map((row) => dayOf(row.cells[0]));
    expect(days).toEqual([...days].sort().reverse());
    expect(live.table.rows.every((row) => row.cells[4]?.kind === 'user')).toBe(true);
    const document = await expectExportMatches(LEAD, config, live);
    expect(tableOf(document).content[1]?.content[4]?.content[0]?.content[0]).toMatchObject({ type: 'mention' });

    const cutoff = days[Math.floor(days.length / 2)] as string;
    const asOf = await data(LEAD, { ...config, asOf: cutoff });
    expect(asOf.table.rows.every((row) => dayOf(row.cells[0]) <= cutoff)).toBe(true);
    expect(asOf.table.total).toBeLessThan(live.table.total);
    const outsider = await data(OUTSIDER, config);
    expect(outsider.table.rows.some((row) => row.issueKey?.startsWith('CONF-'))).toBe(false);
  });

  it('exceptions: tolerance breaches and red projects with their reasons; none of CONF for the outsider', async () => {
    const config = { view: 'exceptions', limit: 50 };
    const live = await data(LEAD, config);
    expect(live.table.total).toBeGreaterThan(0);
    expect(live.table.rows.every((row) => row.cells[3]?.kind === 'rag')).toBe(true);
    expect(live.table.rows.some((row) => row.issueKey?.startsWith('CONF-'))).toBe(true);
    await expectExportMatches(LEAD, config, live);
    const outsider = await data(OUTSIDER, config);
    expect(outsider.table.rows.some((row) => row.issueKey?.startsWith('CONF-'))).toBe(false);
  });

  it('as of a date, the table is the weekly snapshot of that week, for what the reader may see', async () => {
    const asOf = addCalendarDays(thisMonday, -3);
    const config = { view: 'portfolio-table', asOf };
    const live = await data(LEAD, config);
    expect(live.asOf).toEqual({ requested: asOf, week: addCalendarDays(thisMonday, -7) });
    expect(live.table.rows.map((row) => row.cells.map(cellText))).toEqual([
      ['CONF-1', 'Mergers integration: Vestkraft', 'RED'],
      ['PMO-2', expect.any(String), 'RED'],
      ['PMO-1', expect.any(String), 'GREEN'],
    ]);
    await expectExportMatches(LEAD, config, live);
    expect((await data(OUTSIDER, config)).table.rows.map((row) => row.id)).toEqual(['PMO-2', 'PMO-1']);

    const exceptions = await data(LEAD, { view: 'exceptions', asOf });
    expect(exceptions.table.rows.map((row) => row.id)).toEqual(['CONF-1', 'PMO-2']);
    const project = await data(LEAD, { view: 'project-status', projectKey: 'PMO-2', asOf });
    expect(project.table.rows.map((row) => row.cells.map(cellText))).toEqual([
      [ENGLISH.date(addCalendarDays(thisMonday, -7)), 'RED'],
    ]);
    await expectExportMatches(LEAD, { view: 'project-status', projectKey: 'PMO-2', asOf }, project);
  });

  it('what changed since a day: the projects that moved and the decisions recorded, for what the reader may see', async () => {
    const since = addCalendarDays(thisMonday, -5);
    const config = { view: 'changes', since };
    const live = await data(LEAD, config);
    expect(live.title).toBe(`What changed from ${ENGLISH.date(since)} to today`);
    expect(live.table.columns.map((c) => c.id)).toEqual(['key', 'summary', 'change', 'from', 'to']);
    // The snapshot of that week held PMO-1 green, PMO-2 and CONF-1 red; every row names what happened to it.
    const groups = new Set(live.table.rows.map((row) => cellText(row.cells[2]!)));
    expect([...groups].every((group) => /^(New reds|Got worse|Got better|Gate decision)$/.test(group))).toBe(true);
    expect(live.notes[0]).toBe(
      `Compares the weekly snapshot of the week of ${ENGLISH.date(addCalendarDays(thisMonday, -7))} with the portfolio today.`,
    );
    await expectExportMatches(LEAD, config, live);
    const outsider = await data(OUTSIDER, config);
    expect(JSON.stringify(outsider.table)).not.toMatch(/CONF-/);
    // Without the day to compare from, the author is told what is missing.
    const missing = await load(LEAD, { view: 'changes' });
    if (missing.success) throw new Error('expected a refusal');
    expect(missing.errors[0]?.problems).toEqual(['config.since: the changes view needs the day to compare from']);
  });

  it('an invalid configuration is INVALID_PAYLOAD with the problems, and a sentence in the export', async () => {
    const wrongView = await load(LEAD, { view: 'pie-chart' });
    expect(wrongView).toMatchObject({ success: false, errors: [{ errorType: 'INVALID_PAYLOAD' }] });
    if (wrongView.success) return;
    expect(wrongView.errors[0]?.problems?.[0]).toMatch(/^config\.view: /);

    const contradictions = await load(LEAD, {
      view: 'heat-map',
      asOf: '2026-01-05',
      jql: 'x = 1',
      projectKey: 'PMO-1',
    });
    if (contradictions.success) throw new Error('expected a refusal');
    expect(contradictions.errors[0]?.problems).toEqual([
      'config.jql: give a JQL query or a project key, not both',
      'config.asOf: the heat map is live only: weekly snapshots keep each project’s RAG, not its risks',
    ]);
    const noProject = await load(LEAD, { view: 'project-status' });
    if (noProject.success) throw new Error('expected a refusal');
    expect(noProject.errors[0]?.problems).toEqual(['config.projectKey: the project status view needs a project key']);

    const document = await exported(LEAD, { view: 'project-status' });
    expect(adfProblems(document)).toEqual([]);
    expect(JSON.stringify(document)).toContain('the project status view needs a project key');
  });

  it('an unconfigured macro shows the portfolio table; an export without a signed-in user shows no data', async () => {
    const live = await data(LEAD, undefined);
    expect(live.view).toBe('portfolio-table');
    // Saved as null by an editor: the same defaults, as the export reads it.
    expect((await data(LEAD, null)).view).toBe('portfolio-table');
    const document = await exported(null, { view: 'portfolio-table' });
    expect(adfProblems(document)).toEqual([]);
    expect(document.content.some((node) => node.type === 'table')).toBe(false);
  });

  describe("in the reader's language", () => {
    const VIEWS = [
      {
        view: 'portfolio-table',
        columns: ['key', 'summary', 'stageName', 'rag', 'lastDecision', 'nextGateDate', 'reasons'],
      },
      { view: 'heat-map' },
      { view: 'exceptions' },
      { view: 'decision-log' },
      { view: 'project-status', projectKey: 'PMO-2' },
      { view: 'changes', since: addCalendarDays(thisMonday, -5) },
    ];
    // Words every language writes alike ("Dimension" is Swedish too).
    const SHARED = new Set(['Status', 'WSJF', 'ROI', 'RAID', 'Go', 'Dimension']);
    /** Everything the macro itself words: title (one project's is its key and summary), facts, headers and notes. */
    const chrome = (data: MacroData) => [
      ...(data.view === 'project-status' ? [] : [data.title]),
      ...data.summary.map((fact) => fact.label),
      ...data.table.columns.map((column) => column.header),
      ...data.notes,
    ];

    it.each(['nb-NO', 'sv-SE'])(
      'words every view in %s, with no English left, live and in the export',
      async (locale) => {
        for (const config of VIEWS) {
          const english = chrome(await data(LEAD, config));
          const live = await data(LEAD, config, locale);
          const words = chrome(live);
          expect(words).toHaveLength(english.length);
          const untranslated = words.filter((word, index) => word === english[index] && !SHARED.has(word));
          expect({ view: config.view, untranslated }).toEqual({ view: config.view, untranslated: [] });
          const document = await exported(LEAD, config, locale);
          expect(adfProblems(document)).toEqual([]);
          expect(document.content[0]).toMatchObject({ type: 'heading', content: [{ text: live.title }] });
          const text = JSON.stringify(document);
          expect(text).not.toContain('Computed');
          expect(text).toContain(locale === 'nb-NO' ? 'Beregnet av Tollgate' : 'Beräknat av Tollgate');
        }
      },
    );

    it('writes dates, numbers and decisions as the reader does', async () => {
      const log = await data(LEAD, { view: 'decision-log', limit: 5 }, 'sv-SE');
      const decisions = log.table.rows.map((row) => cellText(row.cells[3]!));
      expect(decisions.join(' ')).not.toMatch(/Conditional-Go|Recycle|Hold|Kill/);
      const document = await exported(LEAD, { view: 'decision-log', limit: 5 }, 'nb-NO');
      const firstRow = tableOf(document).content[1]?.content[0];
      // A Norwegian date ("7. nov. 2026"), not the ISO form.
      expect(JSON.stringify(firstRow)).toMatch(/\d{1,2}\. [a-zæøå]+\.? \d{4}/);
      const reasons = (await data(LEAD, { view: 'exceptions' }, 'nb-NO')).table.rows.map((row) =>
        cellText(row.cells[5]!),
      );
      expect(reasons.join(' ')).not.toMatch(/\b(overdue|risk is|review)\b/i);
    });
  });

  describe('a JQL clause Jira refuses', () => {
    const check = (accountId: string, jql: string) =>
      world.as(
        accountId,
        () =>
          macroResolver(
            { call: { functionKey: 'macro/checkScope', payload: { jql } }, context: { extension: { type: 'macro' } } },
            { principal: { accountId } },
          ) as Promise<ResolverResponse<MacroScopeCheck>>,
      );

    it("is refused in Jira's words while the author types it; a valid one counts what the author can see", async () => {
      await expect(check(LEAD, 'project = NOPE')).resolves.toEqual({
        success: true,
        data: { valid: false, message: expect.stringContaining("'NOPE' does not exist") },
      });
      const lead = await check(LEAD, 'project in (PMO, CONF)');
      const outsider = await check(OUTSIDER, 'project = PMO');
      expect(lead).toMatchObject({ success: true, data: { valid: true, count: 40 } });
      expect(outsider).toMatchObject({ success: true, data: { valid: true } });
      // As the outsider: CONF is to them a project that does not exist, and its count is never told.
      await expect(check(OUTSIDER, 'project = CONF')).resolves.toMatchObject({ success: true, data: { valid: false } });
      await expect(check(LEAD, '')).resolves.toMatchObject({
        success: false,
        errors: [{ errorType: 'INVALID_PAYLOAD' }],
      });
    });

    it('makes a saved report say which projects it could not search, instead of reading as an empty portfolio', async () => {
      const report = await data(LEAD, { view: 'portfolio-table', jql: 'project = NOPE' });
      expect(report.table.rows).toEqual([]);
      expect(report.notes).toContain(
        'This report’s JQL names projects that do not exist or that you cannot see: NOPE.',
      );
      const outsider = await data(OUTSIDER, { view: 'exceptions', jql: 'project in (PMO, CONF)' }, 'nb-NO');
      expect(outsider.notes.join(' ')).toContain('CONF');
      expect(outsider.table.rows.some((row) => row.issueKey?.startsWith('CONF-'))).toBe(false);
    });
  });
});
