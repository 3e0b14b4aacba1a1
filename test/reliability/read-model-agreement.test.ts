/**
 * The read model kept incrementally agrees with one rebuilt from Jira. A seeded random history of what people do —
 * risks logged and closed in the panel, summaries and due dates edited in Jira (the issue trigger) — is applied, then
 * every row in Forge SQL is compared with the row a from-scratch rebuild writes (the table emptied, then the reconciliation
 * an upgrade runs, which lists the registry and reads every project from Jira). Only the time each row was written (and its health computed)
 * may differ.
 */
import { sql } from '@forge/sql';
import { prng } from '../../sandbox/prng';
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { RAID_PROPERTY_KEY } from '../../src/domain/documents/raid-document';
import { opPayloadSchema } from '../../src/domain/ops';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const STEPS = 60;

jest.setTimeout(180_000);

type Row = Record<string, unknown>;

describe('the read model agrees with a rebuild from Jira after a random history', () => {
  let world: BackendWorld;

  beforeAll(async () => {
    world = await startBackendWorld('supportive');
  });
  afterAll(() => world.close());

  const rows = async (): Promise<Map<string, Row>> => {
    const answer = await world.as(null, () =>
      sql.executeRaw<Row>('SELECT * FROM project_projection ORDER BY issue_id'),
    );
    // Facts compared as values: the write path serialises a record built by the op, the rebuild one parsed from Jira,
    // so their keys may come in another order.
    return new Map(
      answer.rows.map(({ written_at: _written, facts, waits_on, health, ...row }) => {
        // The health document says when it was computed, which is a time written like written_at.
        const { computedAt: _computed, ...judged } = JSON.parse(String(health)) as Record<string, unknown>;
        return [
          String(row.issue_key),
          {
            ...row,
            facts: JSON.parse(String(facts)) as unknown,
            waitsOn: JSON.parse(String(waits_on)) as unknown,
            health: judged,
          },
        ];
      }),
    );
  };

  it.each([1, 2, 3])('history %i', async (seed) => {
    const random = prng(seed);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const governed = world.data.store
      .listIssues()
      .filter((issue) => {
        const governance = world.data.store.getProperty(issue.id, 'tollgate-governance') as
          { status?: string } | undefined;
        // Ops change live projects only; a closed one is refused (project-closed).
        return /^(PMO|CONF)-/.test(issue.key) && governance?.status === 'active';
      })
      .map((issue) => issue.key);
    expect(governed.length).toBeGreaterThan(10);
    const openRisk = (key: string): string | undefined => {
      const shard = world.data.store.getProperty(world.idOf(key), RAID_PROPERTY_KEY) as
        { items?: Array<{ id: string; type: string; status: string }> } | undefined;
      return shard?.items?.find((item) => item.type === 'risk' && item.status === 'open')?.id;
    };
    const applied: string[] = [];
    for (let step = 0; step < STEPS; step += 1) {
      const key = pick(governed);
      const action = pick(['logRisk', 'closeRisk', 'summary', 'dueDate'] as const);
      const op = (input: unknown) =>
        world.as(LEAD, () =>
          applyOpUseCase(world.deps, { accountId: LEAD, issueKey: key, op: opPayloadSchema.parse(input) }),
        );
      if (action === 'logRisk') {
        await op({
          type: 'addRaidItem',
          item: {
            type: 'risk',
            title: `Risk ${seed}-${step}`,
            owner: LEAD,
            likelihood: 1 + Math.floor(random() * 5),
            impact: 1 + Math.floor(random() * 5),
          },
        });
      } else if (action === 'closeRisk') {
        const id = openRisk(key);
        if (id === undefined) continue;
        await op({ type: 'closeRaidItem', id, note: 'Mitigated' });
      } else {
        const fields =
          action === 'summary'
            ? { summary: `Project ${key}, phase ${step}` }
            : { duedate: `2027-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` };
        const edited = await world.rest({ kind: 'user', accountId: LEAD }, 'PUT', `/rest/api/3/issue/${key}`, {
          fields,
        });
        expect(edited.status).toBe(204);
      }
      applied.push(`${action} ${key}`);
      // The triggers and queued recomputes of that step land before the next one, as they would within seconds.
      await world.runtime.drainQueue();
    }
    expect(applied.length).toBeGreaterThan(STEPS / 2);
    world.jira.settleSearchIndex();
    const kept = await rows();

    await world.as(null, () => sql.executeRaw('DELETE FROM project_projection'));
    await world.reconcile();
    const rebuilt = await rows();

    expect(kept.size).toBeGreaterThan(0);
    expect([...kept.keys()].sort()).toEqual([...rebuilt.keys()].sort());
    for (const [key, row] of kept) expect({ key, ...row }).toEqual({ key, ...rebuilt.get(key) });
  });
});
