/**
 * Each person's portfolio reads draw on an hourly allowance of Jira quota points (src/app/points-allowance.ts), so
 * one person cannot spend the app's hour. Through the real resolvers: a read is charged what Jira charged for its
 * permission checks and any narrowing search; a person with no page left is refused with when it comes back, while
 * everyone else is served; the admin's setting decides the allowance.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { hourOf } from '../../src/app/points-allowance';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type PortfolioData } from '../../src/contract/portfolio';
import { callers } from '../reliability/kit';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const ADMIN = PEOPLE.admin.accountId;
const APP = { kind: 'app' } as const;
/** Registry projects added to the demo's 40, so a registry search would take two pages. */
const EXTRA = 100;

jest.setTimeout(60_000);

describe("a person's hourly allowance of Jira quota", () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;

  const spentBy = (accountId: string) =>
    world.as(accountId, () => world.deps.storage.pointsSpent(accountId, hourOf(world.deps.clock.now())));
  const spend = (accountId: string, points: number) =>
    world.as(accountId, () => world.deps.storage.spendPoints(accountId, hourOf(world.deps.clock.now()), points));
  const load = (accountId: string) =>
    call.portfolio<PortfolioData>(accountId, 'portfolio/load', { page: { offset: 0, limit: 10 } });
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const setAllowance = async (points: number) => {
    const loaded = dataOf(
      await call.admin<{ settings: Record<string, unknown>; version: number }>(ADMIN, 'settings/load', {}),
    );
    const saved = await call.admin(ADMIN, 'settings/save', {
      ...loaded.settings,
      quota: { personHourlyPoints: points },
      expectedVersion: loaded.version,
    });
    expect(saved).toMatchObject({ success: true });
  };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    for (let n = 0; n < EXTRA; n += 1) {
      world.data.store.createIssue(
        { project: 'PMO', issueType: 'Project', summary: `Programme ${n + 1} of the allowance test` },
        APP,
      );
    }
    await world.reconcile();
    // A tenth of Tier 1's hour unless the admin says otherwise.
    expect((await world.as(ADMIN, () => world.deps.storage.loadSettings())).quota).toEqual({
      personHourlyPoints: 6_500,
    });
    await setAllowance(500);
  });
  afterAll(() => world.close());

  it('charges each read what Jira charges: 1 a request and 1 an object, whatever the registry holds', async () => {
    const before = await spentBy(OWNER);
    const data = dataOf(await load(OWNER));
    // The owner may not browse CONF: 137 projects, from one permission check that grants one Jira project.
    expect(data.scope).toMatchObject({ projects: 37 + EXTRA });
    expect((await spentBy(OWNER)) - before).toBe(1 + 1);
  });

  it('charges a narrowed view its id search too: 1 a request and 1 an issue', async () => {
    const before = await spentBy(LEAD);
    const data = dataOf(
      await call.portfolio<PortfolioData>(LEAD, 'portfolio/load', {
        jql: 'project = PMO',
        page: { offset: 0, limit: 10 },
      }),
    );
    expect(data.scope).toMatchObject({ projects: 37 + EXTRA });
    // The check grants PMO and CONF; the search returns the 137 PMO projects.
    expect((await spentBy(LEAD)) - before).toBe(1 + 2 + (1 + 37 + EXTRA));
  });

  it('refuses a person with not one page left, telling them when it comes back; others are still served', async () => {
    await spend(LEAD, 500 - 100 - (await spentBy(LEAD)));
    for (const functionKey of ['portfolio/load', 'portfolio/firstRows', 'portfolio/csv']) {
      const refused = await call.portfolio(LEAD, functionKey, {});
      expect(refused).toMatchObject({
        success: false,
        errors: [{ errorType: 'UNAVAILABLE', i18n: { key: 'portfolio.allowanceSpent' } }],
      });
      const minutes = (refused as unknown as { errors: Array<{ i18n: { params: { minutes: number } } }> }).errors[0]!
        .i18n.params.minutes;
      expect(minutes).toBeGreaterThanOrEqual(1);
      expect(minutes).toBeLessThanOrEqual(60);
    }
    const macro = await call.macro(LEAD, { view: 'portfolio-table', limit: 10 });
    expect(macro).toMatchObject({ success: false, errors: [{ errorType: 'UNAVAILABLE' }] });
    // Refusing costs Jira nothing.
    world.jira.emulator.resetRequestLog();
    await load(LEAD);
    expect(world.jira.emulator.requestLog().filter((r) => r.principal.includes(LEAD))).toEqual([]);
    expect(dataOf(await call.portfolio<PortfolioData>(PEOPLE.sponsor.accountId, 'portfolio/load', {}))).toMatchObject({
      scope: { withErrors: 0 },
    });
  });

  it('follows the admin: a larger allowance serves the same person again', async () => {
    await setAllowance(5_000);
    expect(dataOf(await load(LEAD)).scope).toMatchObject({ projects: 40 + EXTRA });
  });
});
