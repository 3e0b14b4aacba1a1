/**
 * Ten people writing to one project at the same moment, with different ops (ticks, RAID adds and updates, a PMO
 * decision, a status review, a date): every op lands exactly once — the ledger holds each one once, committed, in
 * contiguous revisions, and the stored documents show every effect. A lost update (two writers both building on the
 * same revision) would show as a missing effect or a missing ledger entry; a duplicate as one counted twice.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { DEFAULT_TEMPLATES } from '../../src/domain/default-templates';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const TEMPLATE = DEFAULT_TEMPLATES[0]!;
const G1 = TEMPLATE.stages[0]!.exitGate!;
const ROUNDS = 3;

jest.setTimeout(120_000);

describe('ten concurrent writers on one issue', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  let key: string;
  const figures = { rounds: 0, opsPerRound: 0, opsLanded: 0, lostUpdates: 0, duplicates: 0 };

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };
  const apply = (accountId: string, op: unknown) =>
    call.panel<ProjectChangeResult>(accountId, 'project/apply', { op }, key);

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
    key = world.data.store.listIssues().find((i) => i.fields.summary === 'District heating in Bergen')!.key;
    dataOf(await apply(LEAD, { type: 'startGovernance', templateId: TEMPLATE.id, templateVersion: TEMPLATE.version }));
  });
  afterAll(async () => {
    recordFigures('concurrency', figures);
    await world.close();
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'round %i: mixed ops by three people all land exactly once, ledger and documents agree',
    async (round) => {
      // One risk to update in this round, made before the race.
      const seeded = dataOf(
        await apply(OWNER, {
          type: 'addRaidItem',
          item: { type: 'risk', title: `Round ${round} risk to update`, owner: OWNER, likelihood: 1, impact: 1 },
        }),
      );
      const target = seeded.view!.raid.risk.find((r) => r.title === `Round ${round} risk to update`)!.id;
      const id = world.idOf(key);
      const ledgerBefore = await world.as(null, () => world.deps.storage.ledger(id));
      const revBefore = ledgerBefore.at(-1)!.rev;
      const criterion = G1.criteria[round - 1]!;

      const ops: Array<[string, Record<string, unknown>]> = [
        [
          MEMBER,
          { type: 'checkItem', gateId: G1.id, criterionId: criterion.id, state: 'done', note: `round ${round}` },
        ],
        [
          MEMBER,
          {
            type: 'addRaidItem',
            item: { type: 'risk', title: `R${round} member risk`, owner: MEMBER, likelihood: 2, impact: 2 },
          },
        ],
        [
          OWNER,
          {
            type: 'addRaidItem',
            item: { type: 'risk', title: `R${round} owner risk`, owner: OWNER, likelihood: 3, impact: 3 },
          },
        ],
        [
          LEAD,
          {
            type: 'addRaidItem',
            item: { type: 'risk', title: `R${round} lead risk`, owner: LEAD, likelihood: 4, impact: 4 },
          },
        ],
        [
          OWNER,
          { type: 'updateRaidItem', id: target, changes: { likelihood: 5, mitigation: `mitigated in round ${round}` } },
        ],
        [
          LEAD,
          { type: 'decideGate', gateId: G1.id, outcome: 'HOLD', rationale: `Round ${round}: wait for the heat study` },
        ],
        [OWNER, { type: 'recordStatusReview', summary: `Round ${round} review`, confidence: 'medium' }],
        [LEAD, { type: 'setNextGateDate', nextGateDate: `2027-0${round}-15` }],
        [
          MEMBER,
          {
            type: 'addRaidItem',
            item: {
              type: 'assumption',
              title: `R${round} assumption`,
              owner: MEMBER,
              sensitivity: 'high',
              confidence: 'low',
              validation: 'unvalidated',
            },
          },
        ],
        [
          OWNER,
          {
            type: 'setPriorityInputs',
            inputs: { businessValue: 8, timeCriticality: 5, riskReduction: 3, jobSize: round },
          },
        ],
      ];
      const responses = await Promise.all(ops.map(([who, op]) => apply(who, op)));
      const failures = responses.filter((r) => !r.success);
      expect(failures).toEqual([]);
      const revs = responses.map((r) => dataOf(r).rev).sort((a, b) => a - b);
      // Every op got its own revision, one after the other: none built on a revision another op also built on.
      expect(revs).toEqual(ops.map((_, i) => revBefore + 1 + i));

      const ledger = await world.as(null, () => world.deps.storage.ledger(id));
      const added = ledger.slice(ledgerBefore.length);
      expect(added.map((e) => e.rev)).toEqual(revs);
      expect(added.every((e) => e.committed)).toBe(true);
      // Each op is in the ledger once, by the person who made it.
      const recorded = added.map((e) => JSON.stringify([e.by, (e.op as { op: { type: string } }).op.type]));
      const sent = ops.map(([who, op]) => JSON.stringify([who, op.type]));
      expect([...recorded].sort()).toEqual([...sent].sort());

      // The documents are at the ledger's head and show every effect.
      const view = dataOf(await call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key));
      expect(view.integrity.status).toBe('ok');
      expect(view.governance?.rev).toBe(revBefore + ops.length);
      const risks = view.raid.risk;
      const titles = [...risks, ...view.raid.assumption].map((r) => r.title);
      const once = (title: string) => titles.filter((t) => t === title).length;
      const expectedTitles = [
        `R${round} member risk`,
        `R${round} owner risk`,
        `R${round} lead risk`,
        `R${round} assumption`,
      ];
      const missing = expectedTitles.filter((t) => once(t) === 0);
      const twice = expectedTitles.filter((t) => once(t) > 1);
      expect({ missing, twice }).toEqual({ missing: [], twice: [] });
      const updated = risks.find((r) => r.id === target);
      expect(updated).toMatchObject({ type: 'risk', inherent: { score: 5 } });
      expect(view.currentGate?.criteria.find((c) => c.id === criterion.id)?.item).toMatchObject({
        state: 'done',
        note: `round ${round}`,
        by: MEMBER,
      });
      expect(view.decisions.filter((d) => d.rationale === `Round ${round}: wait for the heat study`)).toHaveLength(1);
      expect(view.governance?.nextGateDate).toBe(`2027-0${round}-15`);
      const stored = world.data.store.getProperty(id, 'tollgate-governance') as {
        statusReviews?: Array<{ summary: string }>;
        priority?: { jobSize?: number };
      };
      expect(JSON.stringify(stored)).toContain(`Round ${round} review`);

      figures.rounds += 1;
      figures.opsPerRound = ops.length;
      figures.opsLanded += added.length;
      figures.lostUpdates += missing.length;
      figures.duplicates += twice.length;
    },
  );
});
