/**
 * The portfolio's first rows from the read model in Forge SQL, at its edges: a row under an issue security level the
 * reader may not see, a stored row that no longer parses, and a model not built yet. The everyday cases (orders,
 * the outsider, a change shown on the next view) are in portfolio-resolvers.test.ts.
 */
import { sql } from '@forge/sql';
import { PEOPLE } from '../../sandbox/seed/people';
import { type AppDeps } from '../../src/app/deps';
import { loadFirstRows } from '../../src/app/first-rows-use-case';
import { portfolioFirstRowsPayloadSchema } from '../../src/contract/portfolio';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;

jest.setTimeout(60_000);

describe('first rows from the read model', () => {
  let world: BackendWorld;
  const first = (accountId: string, deps: AppDeps = world.deps, limit = 100) =>
    world.as(accountId, () => loadFirstRows(deps, { ...portfolioFirstRowsPayloadSchema.parse({ limit }), accountId }));
  const execute = (query: string, ...params: string[]) =>
    world.as(null, () =>
      sql
        .prepare(query)
        .bindParams(...params)
        .execute(),
    );

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
  });
  afterAll(() => world.close());

  it('leaves out a row whose issue Jira will not show the reader (a security level), and its red too', async () => {
    const rows = (await first(MEMBER)).rows;
    // A project red because it waits on another red one, and that one.
    const waiting = rows.find((row) => row.why.some((reason) => reason.code === 'raid.dependencyRed'));
    const awaitedKey = waiting?.why.find((reason) => reason.code === 'raid.dependencyRed')?.params?.counterparty;
    const secured = rows.find((row) => row.key === awaitedKey);
    if (!waiting || !secured) throw new Error('the demo has a project the member sees waiting on a red one');
    await execute('UPDATE project_projection SET security_level_id = ? WHERE issue_key = ?', '10100', secured.key);
    // The emulator has no security levels; Jira would answer the bulk check without the issue, as here.
    const hiding: AppDeps = {
      ...world.deps,
      jira: {
        ...world.deps.jira,
        async browsable(accountId, ids) {
          const answer = await world.deps.jira.browsable(accountId, ids);
          return { ...answer, issueIds: answer.issueIds.filter((id) => id !== secured.issueId) };
        },
      },
    };
    const shown = (await first(MEMBER, hiding)).rows;
    expect(shown.map((row) => row.key)).not.toContain(secured.key);
    // Nor does its red flow to the project that waits on it: a row under a security level is no counterparty.
    const stillWaiting = shown.find((row) => row.key === waiting.key);
    expect(stillWaiting?.why.map((reason) => reason.params?.counterparty)).not.toContain(secured.key);
    // Someone Jira shows it to still sees it.
    expect((await first(LEAD)).rows.map((row) => row.key)).toContain(secured.key);
    await execute('UPDATE project_projection SET security_level_id = NULL WHERE issue_key = ?', secured.key);
  });

  it('shows a stored row that no longer reads as such, with why, and queues it to be written again', async () => {
    const [target] = (await first(LEAD, world.deps, 1)).rows;
    if (!target) throw new Error('the read model holds rows');
    await execute('UPDATE project_projection SET facts = ? WHERE issue_key = ?', '{"key": 7}', target.key);
    const shown = (await first(LEAD)).rows.find((row) => row.key === target.key);
    expect(shown).toMatchObject({ key: target.key, rag: 'none', error: { source: 'issue' } });
    await world.runtime.drainQueue();
    const again = (await first(LEAD)).rows.find((row) => row.key === target.key);
    expect(again).toMatchObject({ key: target.key, error: null, rag: target.rag });
  });

  it('is empty, without a single Jira search, before the model holds anything', async () => {
    await execute('DELETE FROM project_projection WHERE issue_id <> ?', '');
    world.jira.emulator.resetRequestLog();
    await expect(first(LEAD)).resolves.toMatchObject({ provisional: true, rows: [] });
    expect(world.jira.emulator.requestLog().filter((r) => r.path.includes('/search'))).toEqual([]);
  });
});
