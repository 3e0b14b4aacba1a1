/**
 * Who may see and do what. Oscar Outsider may not browse the confidential CONF project: no surface may show him
 * any of it — not the panel, not a portfolio row, count, heat-map square or facet, not the CSV, the macro or its
 * export, and not JQL on Tollgate's indexed `tollgate*` aliases. A team member may not decide a gate; nobody but a
 * Jira administrator may change the settings, the PMO lead included (settings-use-case: admins save, the PMO reads).
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type AdfDoc } from '../../src/app/adf';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type MacroData, MACRO_VIEWS } from '../../src/contract/macro';
import { type PortfolioCsv, type PortfolioData } from '../../src/contract/portfolio';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, changesBetween, recordFigures, worldState } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const ADMIN = PEOPLE.admin.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const OUTSIDER = PEOPLE.outsider.accountId;
const G1 = DEFAULT_TEMPLATES[0]!.stages[0]!.exitGate!;
const ALIASES = [
  'tollgateHealth in (red, amber, green, none)',
  'tollgateStage is not EMPTY',
  'tollgateStatus is not EMPTY',
  'tollgateIntegrity is not EMPTY',
  'tollgateRiskMax >= 0',
  'tollgateMandatoryOpen >= 0',
  'tollgateDecision is not EMPTY',
  'tollgateNextGate is not EMPTY',
];

jest.setTimeout(90_000);

describe('permissions: the outsider sees none of CONF anywhere; members and the PMO are held to their roles', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  /** Everything that would give a CONF project away: keys, ids, summaries (only those no visible project shares). */
  let secrets: string[];
  let confKeys: string[];
  const figures = { surfacesChecked: 0, confProjects: 0, leaks: 0, jqlAliasesChecked: 0, refusedActions: 0 };

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  /** No CONF key, id or summary anywhere in what the outsider got. */
  const expectNoConf = (surface: string, value: unknown, askedFor?: string) => {
    const text = JSON.stringify(value);
    // A key the outsider asked about himself may be echoed back ("Issue CONF-1 does not exist or …").
    const leaked = secrets.filter((secret) => !(askedFor && secret.includes(askedFor)) && text.includes(secret));
    figures.surfacesChecked += 1;
    figures.leaks += leaked.length;
    expect({ surface, leaked }).toEqual({ surface, leaked: [] });
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    const issues = world.data.store.listIssues();
    const conf = issues.filter((i) => i.key.startsWith('CONF-'));
    const visibleSummaries = new Set(issues.filter((i) => !i.key.startsWith('CONF-')).map((i) => i.fields.summary));
    confKeys = conf.map((i) => i.key);
    secrets = [
      ...confKeys.map((key) => `"${key}"`),
      ...confKeys.map((key) => `${key} `),
      ...conf.map((i) => `"${i.id}"`),
      ...conf.map((i) => i.fields.summary).filter((s) => !visibleSummaries.has(s)),
    ];
    figures.confProjects = conf.length;
    expect(conf.length).toBeGreaterThan(0);
    await call.portfolio(LEAD, 'portfolio/load', {});
    await world.runtime.drainQueue();
  });
  afterAll(async () => {
    recordFigures('permissions', figures);
    await world.close();
  });

  it('the lead sees CONF on every surface (so the checks below can fail)', async () => {
    const lead = dataOf(
      await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }),
    );
    expect(JSON.stringify(lead)).toContain(secrets[0]);
    const macro = dataOf(await call.macro<MacroData>(LEAD, { view: 'portfolio-table', limit: 100 }));
    expect(JSON.stringify(macro)).toContain(secrets[0]);
  });

  it('panel: every CONF issue is NOT_FOUND for load, apply and restore, with nothing about it', async () => {
    for (const key of confKeys) {
      for (const [functionKey, payload] of [
        ['project/load', {}],
        ['project/apply', { op: { type: 'recordStatusReview', summary: 'peek', confidence: 'low' } }],
        ['project/restore', {}],
      ] as const) {
        const response = await call.panel(OUTSIDER, functionKey, payload, key);
        expect(response).toMatchObject({ success: false, errors: [{ errorType: 'NOT_FOUND' }] });
        expectNoConf(`panel ${functionKey} ${key}`, response, key);
      }
    }
  });

  it('portfolio: rows, counts, heat map, facets, exceptions, trend, CSV — none of CONF', async () => {
    const lead = dataOf(
      await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { page: { offset: 0, limit: 100 } }),
    );
    const outsider = dataOf(
      await call.portfolio<PortfolioData>(OUTSIDER, 'portfolio/load', {
        page: { offset: 0, limit: 100 },
      }),
    );
    expectNoConf('portfolio/load', outsider);
    expect(outsider.counts.total).toBe(lead.counts.total - confKeys.length);
    expect(outsider.page.total).toBe(lead.page.total - confKeys.length);
    const confOnly = dataOf(await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', { jql: 'project = CONF' }));
    expect(outsider.heatMap.total).toBe(lead.heatMap.total - confOnly.heatMap.total);
    expect(outsider.facets.owners.reduce((sum, o) => sum + o.count, 0)).toBe(outsider.counts.total);
    // Narrowing to CONF gives the outsider an empty scope, not an error that confirms it exists.
    const narrowed = await call.portfolio<PortfolioData>(OUTSIDER, 'portfolio/load', { jql: 'project = CONF' });
    expectNoConf('portfolio/load jql=CONF', narrowed);
    for (const filter of [{ text: 'CONF' }, { rag: ['red'] }, { cell: { likelihood: 5, impact: 5 } }]) {
      expectNoConf(
        `portfolio/load ${JSON.stringify(filter)}`,
        await call.portfolio(OUTSIDER, 'portfolio/load', { filter }),
      );
    }
    const csv = dataOf(await call.portfolio<PortfolioCsv>(OUTSIDER, 'portfolio/csv', {}));
    expectNoConf('portfolio/csv', csv);
    expect(csv.rows).toBe(outsider.counts.total);
  });

  it('macro and its export: every view, none of CONF; a CONF project-status is NOT_FOUND', async () => {
    for (const view of MACRO_VIEWS) {
      const config = view === 'project-status' ? { view, projectKey: 'PMO-2' } : { view, limit: 100 };
      expectNoConf(`macro/load ${view}`, await call.macro(OUTSIDER, config));
      const document: AdfDoc = await call.adfExport(
        OUTSIDER,
        { exportType: 'pdf', extensionPayload: { config } },
        { principal: { accountId: OUTSIDER } },
      );
      expectNoConf(`macroAdfExport ${view}`, document);
    }
    for (const key of confKeys) {
      const config = { view: 'project-status', projectKey: key };
      const live = await call.macro(OUTSIDER, config);
      expect(live).toMatchObject({ success: false, errors: [{ errorType: 'NOT_FOUND' }] });
      expectNoConf(`macro/load project-status ${key}`, live, key);
      const document = await call.adfExport(
        OUTSIDER,
        { extensionPayload: { config } },
        { principal: { accountId: OUTSIDER } },
      );
      expect(document.content.some((node) => node.type === 'table')).toBe(false);
      expectNoConf(`macroAdfExport project-status ${key}`, document, key);
    }
  });

  it('JQL on the tollgate* aliases through Jira finds no CONF issue for the outsider, and counts match', async () => {
    const outsider = { kind: 'user' as const, accountId: OUTSIDER };
    const lead = { kind: 'user' as const, accountId: LEAD };
    for (const clause of ALIASES) {
      const jql = `${clause} ORDER BY key`;
      const seen = await world.rest(outsider, 'POST', '/rest/api/3/search/jql', {
        jql,
        fields: ['summary'],
        properties: ['tollgate-health'],
        maxResults: 100,
      });
      expect(seen.status).toBe(200);
      expectNoConf(`search ${clause}`, seen.json);
      const all = await world.rest(lead, 'POST', '/rest/api/3/search/jql', { jql, fields: ['key'], maxResults: 100 });
      const leadKeys = (all.json as { issues: Array<{ key: string }> }).issues.map((i) => i.key);
      const count = await world.rest(outsider, 'POST', '/rest/api/3/search/approximate-count', { jql: clause });
      expect((count.json as { count: number }).count).toBe(leadKeys.filter((k) => !k.startsWith('CONF-')).length);
      figures.jqlAliasesChecked += 1;
    }
    // The lead's alias search does reach CONF, so the outsider's emptiness is the permission, not the index.
    const leadHealth = await world.rest(lead, 'POST', '/rest/api/3/search/jql', {
      jql: `${ALIASES[0]} AND project = CONF`,
      fields: ['key'],
    });
    expect((leadHealth.json as { issues: unknown[] }).issues.length).toBe(confKeys.length);
  });

  it('a member cannot decide a gate; only a Jira admin can change settings, not the PMO lead; nothing changes', async () => {
    const key = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen')!.key;
    await call.panel(
      LEAD,
      'project/apply',
      { op: { type: 'startGovernance', templateId: DEFAULT_TEMPLATES[0]!.id, templateVersion: 1 } },
      key,
    );
    await world.runtime.drainQueue();
    const before = await worldState(world);
    for (const person of [MEMBER, OWNER]) {
      const decided = await call.panel(
        person,
        'project/apply',
        {
          op: { type: 'decideGate', gateId: G1.id, outcome: 'GO', rationale: 'Looks fine', overrideReason: 'Trust me' },
        },
        key,
      );
      expect(decided).toMatchObject({
        success: false,
        // Who may decide is the authority table's (test/reliability/authority.test.ts runs it for every op and role).
        errors: [{ errorType: 'FORBIDDEN', i18n: { key: 'refusal.not-a-decider' } }],
      });
      figures.refusedActions += 1;
    }
    const loaded = dataOf(
      await call.admin<{ settings: Record<string, unknown>; version: number; isAdmin: boolean }>(
        LEAD,
        'settings/load',
        {},
      ),
    );
    expect(loaded.isAdmin).toBe(false);
    for (const person of [LEAD, MEMBER, OWNER, OUTSIDER]) {
      const saved = await call.admin(person, 'settings/save', {
        ...loaded.settings,
        mode: 'supportive',
        expectedVersion: loaded.version,
      });
      expect(saved).toMatchObject({ success: false, errors: [{ errorType: 'FORBIDDEN' }] });
      figures.refusedActions += 1;
    }
    for (const person of [MEMBER, OUTSIDER]) {
      expect(await call.admin(person, 'settings/previewJql', { jql: 'project = CONF' })).toMatchObject({
        success: false,
        errors: [{ errorType: 'FORBIDDEN' }],
      });
      figures.refusedActions += 1;
      // The portfolio view's state and a full check against Jira: the PMO's and the admins' business only.
      for (const key of ['readModel/status', 'readModel/recheck']) {
        expect(await call.admin(person, key, {})).toMatchObject({
          success: false,
          errors: [{ errorType: 'FORBIDDEN' }],
        });
        figures.refusedActions += 1;
      }
    }
    expect(await call.admin(LEAD, 'readModel/status', {})).toMatchObject({ success: true, data: { projects: 40 } });
    expect(changesBetween(before, await worldState(world))).toEqual([]);
    // The admin can: the refusals above are about who asks, not about the request.
    expect(
      await call.admin(ADMIN, 'settings/save', {
        ...loaded.settings,
        mode: 'supportive',
        expectedVersion: loaded.version,
      }),
    ).toMatchObject({ success: true });
  });
});
