/**
 * A viewer learns nothing about a project they cannot browse. Three visible PMO projects wait on the confidential
 * CONF project "Cyber security SOC upgrade", which is red: one directly, one through another PMO project that waits
 * on it. Oscar Outsider may browse the PMO projects but not CONF, so nothing he is shown may be red because CONF is:
 * not the panel (and the issue context panel, which shares its resolver), the stored `tollgate-health` read through
 * REST or JQL, the portfolio's first rows, its full load, its CSV, the steering macro's card and table, or their
 * export. The PMO lead, who may browse CONF, does see the red on every live surface, so each check can fail. And the
 * outsider's answers are the same whether the registry JQL names CONF or not: not even the number of searches says
 * that the registry holds projects he cannot see.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectPanelView } from '../../src/contract/issue-panel';
import { type MacroData } from '../../src/contract/macro';
import { type PortfolioCsv, type PortfolioData, type PortfolioFirstRows } from '../../src/contract/portfolio';
import { HEALTH_PROPERTY_KEY, type HealthDocument } from '../../src/domain/documents/health-document';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures, searchSettled } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const ADMIN = PEOPLE.admin.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const RED_CONF = 'Cyber security SOC upgrade';
/** Waits on the CONF project itself. */
const DIRECT = 'Customer portal relaunch';
/** Waits on a PMO project that waits on CONF. */
const VIA = 'Heat pump subscription offer';
const INDIRECT = 'Offshore wind O&M mobile app';

jest.setTimeout(120_000);

/** The RAG a macro cell shows, if it is a RAG cell. */
const cellRag = (cell: unknown): string | undefined =>
  (cell as { kind?: string; rag?: string } | undefined)?.kind === 'rag' ? (cell as { rag: string }).rag : undefined;
/** The RAG of a project-status export: the status lozenge's text. */
const exportedRag = (document: string): string | undefined =>
  /"text":"(RED|AMBER|GREEN)"/i.exec(document)?.[1]?.toLowerCase();
/** The overall RAG column of the project's line in the CSV. */
const csvRag = (csv: string, key: string): string | undefined => {
  const [header, ...lines] = csv.split(/\r?\n/);
  const column = header?.split(',').findIndex((name) => /^"?(RAG|Health)"?$/i.test(name));
  const line = lines.find((l) => l.startsWith(`${key},`) || l.startsWith(`"${key}",`));
  return column === undefined || column < 0 ? undefined : line?.split(',')[column]?.replace(/"/g, '').toLowerCase();
};

describe('confidentiality: the health of a project the viewer cannot browse reaches them through nothing', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let conf: string;
  /** The PMO projects whose only red is CONF's, directly or through one another. */
  let waiting: string[];
  const figures = { surfacesChecked: 0, projectsWaitingOnHidden: 0, leaks: 0 };

  const keyOf = (summary: string) => world.data.store.listIssues().find((i) => i.fields.summary === summary)!.key;
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  /** How many `raid.dependencyRed` reasons an answer holds. */
  const dependencyRed = (value: unknown): number =>
    (JSON.stringify(value).match(/"raid\.dependencyRed"/g) ?? []).length;
  /**
   * What one surface says of each waiting project: its RAG and any dependency-red reason. The outsider's must be
   * the project on its own facts (green, no such reason); the lead's, red from CONF (so the check can fail).
   */
  const expectBlind = (
    surface: string,
    outsider: ReadonlyArray<{ rag: unknown; said: unknown }>,
    lead: ReadonlyArray<{ rag: unknown; said: unknown }>,
  ) => {
    figures.surfacesChecked += 1;
    const leaked = outsider.filter((p) => p.rag !== 'green' || dependencyRed(p.said) > 0).length;
    figures.leaks += leaked;
    const seen = (answers: typeof outsider) => answers.map((p) => `${String(p.rag)} ${dependencyRed(p.said)}`);
    expect({ surface, outsider: seen(outsider) }).toEqual({ surface, outsider: waiting.map(() => 'green 0') });
    expect({ surface, lead: lead.map((p) => p.rag) }).toEqual({ surface, lead: waiting.map(() => 'red') });
  };
  const panel = async (accountId: string, key: string) =>
    dataOf(await call.panel<ProjectPanelView>(accountId, 'project/load', {}, key));
  const portfolio = async (accountId: string, payload: unknown = {}) =>
    dataOf(
      await call.portfolio<PortfolioData>(accountId, 'portfolio/load', {
        page: { offset: 0, limit: 100 },
        ...(payload as object),
      }),
    );
  const rowsOf = (rows: PortfolioFirstRows['rows']) =>
    waiting.map((key) => {
      const row = rows.find((r) => r.key === key);
      return { rag: row?.rag, said: row };
    });
  const dependOn = async (issueKey: string, counterpartyKey: string) =>
    dataOf(
      await call.panel(
        LEAD,
        'project/apply',
        {
          op: {
            type: 'addRaidItem',
            item: {
              type: 'dependency',
              title: `Needs the work of ${counterpartyKey}`,
              owner: LEAD,
              direction: 'inbound',
              counterpartyKey,
              neededBy: '2030-06-30',
              deliveryStatus: 'on-track',
            },
          },
        },
        issueKey,
      ),
    );

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = searchSettled(world, callers(world));
    conf = keyOf(RED_CONF);
    expect(conf).toMatch(/^CONF-/);
    await dependOn(keyOf(DIRECT), conf);
    await dependOn(keyOf(VIA), conf);
    await dependOn(keyOf(INDIRECT), keyOf(VIA));
    waiting = [DIRECT, VIA, INDIRECT].map(keyOf);
    figures.projectsWaitingOnHidden = waiting.length;
    // Everything the daily job and the queue would do, so stored health is as current as it gets.
    await call.portfolio(LEAD, 'portfolio/load', {});
    await world.runtime.drainQueue();
    world.jira.settleSearchIndex();
    // The premise: CONF is red, and each waiting project is green on its own facts.
    expect((await panel(LEAD, conf)).health.overall).toBe('red');
  });
  afterAll(async () => {
    recordFigures('confidentiality', figures);
    await world.close();
  });

  it('the panel and the issue context panel: no red from CONF', async () => {
    const views = async (accountId: string) =>
      Promise.all(waiting.map((key) => panel(accountId, key).then((v) => ({ rag: v.health.overall, said: v.health }))));
    expectBlind('project/load', await views(OUTSIDER), await views(LEAD));
    // The dependency stays in his project's RAID log: that is the visible project's own data, not CONF's.
    const direct = await panel(OUTSIDER, waiting[0]!);
    expect(direct.raid.dependency.map((d) => d.type === 'dependency' && d.counterpartyKey)).toEqual([conf]);
  });

  it('the stored tollgate-health, through REST and JQL, speaks for the project alone', async () => {
    const outsider = { kind: 'user' as const, accountId: OUTSIDER };
    const lead = { kind: 'user' as const, accountId: LEAD };
    const stored = async (who: typeof outsider) =>
      Promise.all(
        waiting.map(async (key) => {
          const answer = await world.rest(who, 'GET', `/rest/api/3/issue/${key}/properties/${HEALTH_PROPERTY_KEY}`);
          expect(answer.status).toBe(200);
          return (answer.json as { value: HealthDocument }).value;
        }),
      );
    const documents = await stored(outsider);
    // The same property for everyone who can browse the issue, so it must be blind for everyone.
    expect(await stored(lead)).toEqual(documents);
    figures.surfacesChecked += 1;
    figures.leaks += documents.filter((d) => d.rag !== 'green' || dependencyRed(d) > 0).length;
    expect(documents.map((d) => `${d.rag} ${dependencyRed(d)}`)).toEqual(waiting.map(() => 'green 0'));
    // Whom each waits on is its own data: it lets each viewer follow the chain as far as they may see.
    expect(documents.map((d) => d.waitsOn)).toEqual([[conf], [conf], [waiting[1]]]);
    const found = await world.rest(outsider, 'POST', '/rest/api/3/search/jql', {
      jql: `tollgateHealth = red AND key in (${waiting.join(', ')})`,
      fields: ['summary'],
    });
    figures.surfacesChecked += 1;
    expect((found.json as { issues: unknown[] }).issues).toEqual([]);
  });

  it('the portfolio: first rows, the full load and the CSV', async () => {
    const first = (accountId: string) =>
      call
        .portfolio<PortfolioFirstRows>(accountId, 'portfolio/firstRows', { limit: 100 })
        .then(dataOf)
        .then((d) => rowsOf(d.rows));
    expectBlind('portfolio/firstRows', await first(OUTSIDER), await first(LEAD));
    const full = (accountId: string) => portfolio(accountId).then((d) => rowsOf(d.page.rows));
    expectBlind('portfolio/load', await full(OUTSIDER), await full(LEAD));
    const csv = (accountId: string) =>
      call
        .portfolio<PortfolioCsv>(accountId, 'portfolio/csv', {})
        .then(dataOf)
        .then((d) => waiting.map((key) => ({ rag: csvRag(d.csv, key), said: null })));
    expectBlind('portfolio/csv', await csv(OUTSIDER), await csv(LEAD));
  });

  it('the steering macro and its export: the project card and the portfolio table', async () => {
    const cards = (accountId: string) =>
      Promise.all(
        waiting.map(async (key) => {
          const data = dataOf(await call.macro<MacroData>(accountId, { view: 'project-status', projectKey: key }));
          return { rag: cellRag(data.summary?.find((s) => s.label === 'Health')?.cell), said: data };
        }),
      );
    expectBlind('macro/load project-status', await cards(OUTSIDER), await cards(LEAD));
    const exports = (accountId: string) =>
      Promise.all(
        waiting.map(async (key) => {
          const config = { view: 'project-status', projectKey: key };
          const document = await call.adfExport(
            accountId,
            { exportType: 'pdf', extensionPayload: { config } },
            { principal: { accountId } },
          );
          return { rag: exportedRag(JSON.stringify(document)), said: document };
        }),
      );
    expectBlind('macroAdfExport project-status', await exports(OUTSIDER), await exports(LEAD));
    const table = async (accountId: string) => {
      const data = dataOf(await call.macro<MacroData>(accountId, { view: 'portfolio-table', limit: 100 }));
      return waiting.map((key) => {
        const row = data.table?.rows.find((r) => r.issueKey === key);
        return { rag: row?.cells.map(cellRag).find((r) => r !== undefined), said: row };
      });
    };
    expectBlind('macro/load portfolio-table', await table(OUTSIDER), await table(LEAD));
  });

  it('the outsider is told the same whether the registry names CONF or not, counts included', async () => {
    const withConf = await portfolio(OUTSIDER);
    const settings = dataOf(
      await call.admin<{ settings: { registryJql: string }; version: number }>(ADMIN, 'settings/load', {}),
    );
    expect(settings.settings.registryJql).toContain('CONF');
    const saved = await call.admin(ADMIN, 'settings/save', {
      ...settings.settings,
      registryJql: settings.settings.registryJql.replace('project in (PMO, CONF)', 'project in (PMO)'),
      expectedVersion: settings.version,
    });
    expect(saved).toMatchObject({ success: true });
    const withoutConf = await portfolio(OUTSIDER);
    figures.surfacesChecked += 1;
    // The save re-checks every project (its rows are written again), so only the time of that check moves.
    const comparable = (data: PortfolioData) => ({
      ...data,
      computedAt: '',
      staleQueued: 0,
      scope: { ...data.scope, checkedAt: '' },
    });
    expect(comparable(withConf)).toEqual(comparable(withoutConf));
  });
});
