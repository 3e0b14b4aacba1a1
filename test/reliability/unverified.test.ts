/**
 * A forged approval on a project whose record has no history in this installation: documents seeded, migrated or
 * written before Tollgate governed the project carry no ledger entry, so a rewrite through REST cannot be told from
 * the original by the ledger — only the signature says Tollgate did not write it. In controlling mode the gate must
 * refuse such a record, and nobody but a PMO lead may build on it (the first op signs what it finds into the ledger,
 * which would otherwise launder the forgery).
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { type ResolverResponse } from '../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../src/contract/issue-panel';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';
import { callers, recordFigures } from './kit';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const MEMBER = PEOPLE.member.accountId;
const GOVERNANCE = 'tollgate-governance';

jest.setTimeout(60_000);

interface StoredGovernance {
  rev: number;
  stage: string;
  decisions: Array<{ id: string; gateId: string; outcome: string; rationale: string }>;
  [key: string]: unknown;
}

describe('a forged approval on a record with no history here', () => {
  let world: BackendWorld;
  let call: ReturnType<typeof callers>;
  const figures = { attacks: 0, transitionsBlocked: 0, launderingRefused: 0 };
  const member = { kind: 'user' as const, accountId: MEMBER };
  const owner = { kind: 'user' as const, accountId: OWNER };

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    call = callers(world);
  });
  afterAll(async () => {
    recordFigures('unverified', figures);
    await world.close();
  });

  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(JSON.stringify(response.errors));
    return response.data;
  };

  /** The owner's "Pass gate" transition on `key`: Jira's status and message. */
  async function passGate(key: string): Promise<{ status: number; message: string }> {
    const { transitions } = (await world.rest(owner, 'GET', `/rest/api/3/issue/${key}/transitions`)).json as {
      transitions: Array<{ id: string; name: string }>;
    };
    const pass = transitions.find((t) => t.name.startsWith('Pass gate'));
    if (!pass) throw new Error(`${key} offers no gate transition`);
    const response = await world.rest(owner, 'POST', `/rest/api/3/issue/${key}/transitions`, {
      transition: { id: pass.id },
    });
    const messages = (response.json as { errorMessages?: string[] } | null)?.errorMessages ?? [];
    return { status: response.status, message: messages.join(' ') };
  }

  it('is refused at the gate and for everyone but a PMO lead, who can confirm it', async () => {
    // A seeded project the owner can try to pass a gate on, governed and signed, with a decision to copy the shape of,
    // and no ledger entry yet.
    let project: (typeof candidates)[number] | undefined;
    const candidates = world.data.store.listIssues().filter((issue) => {
      const governance = world.data.store.getProperty(issue.id, GOVERNANCE) as StoredGovernance | undefined;
      return issue.key.startsWith('PMO-') && (governance?.decisions.length ?? 0) > 0;
    });
    for (const candidate of candidates) {
      const { transitions } = (await world.rest(owner, 'GET', `/rest/api/3/issue/${candidate.key}/transitions`))
        .json as { transitions: Array<{ name: string }> };
      if (transitions.some((t) => t.name.startsWith('Pass gate'))) {
        project = candidate;
        break;
      }
    }
    if (!project) throw new Error('the demo has no governed project whose owner can pass a gate');
    const key = project.key;
    const loaded = dataOf(await call.panel<ProjectPanelView>(LEAD, 'project/load', {}, key));
    expect(loaded.integrity.status).toBe('ok');
    const gateId = loaded.currentGate?.id;
    if (!gateId) throw new Error(`${key} has no current gate`);

    const genuine = world.data.store.getProperty(project.id, GOVERNANCE) as unknown as StoredGovernance;
    // Without the signature: a record that makes no claim to be Tollgate's, like data from before Tollgate. One that
    // keeps the old signature claims to be Tollgate's and is not, which reads as tampered (transplant.test.ts).
    const { sig: _sig, ...unsigned } = genuine;
    const forged = {
      ...unsigned,
      decisions: [
        ...genuine.decisions,
        // A well-formed Go, copied from the PMO's genuine Hold: only the missing signature can tell.
        { ...genuine.decisions.at(-1), id: 'd90', gateId, outcome: 'GO', rationale: 'Approved (forged)' },
      ],
    };
    expect((await world.rest(member, 'PUT', `/rest/api/3/issue/${key}/properties/${GOVERNANCE}`, forged)).status).toBe(
      200,
    );
    figures.attacks += 1;

    const blocked = await passGate(key);
    expect(blocked.status).toBe(400);
    expect(blocked.message).toContain(`${key}: its stage-gate record was not written by Tollgate`);
    figures.transitionsBlocked += 1;

    const view = dataOf(await call.panel<ProjectPanelView>(MEMBER, 'project/load', {}, key));
    expect(view.integrity.status).toBe('unverified');
    const criterion = view.currentGate?.criteria.find((c) => !c.evidenceRequired);
    if (!criterion) throw new Error(`${key}'s gate has no criterion to tick`);
    const tick = {
      type: 'checkItem',
      gateId,
      criterionId: criterion.id,
      state: criterion.item?.state === 'done' ? 'open' : 'done',
    };
    await expect(call.panel(MEMBER, 'project/apply', { op: tick }, key)).resolves.toMatchObject({
      success: false,
      errors: [{ errorType: 'REFUSED', i18n: { key: 'refusal.record-unverified' } }],
    });
    expect(world.data.store.getProperty(project.id, GOVERNANCE)).toEqual(forged);
    figures.launderingRefused += 1;

    // The PMO lead reviews it and confirms it with a change: from then on the record is Tollgate's own.
    const confirmed = dataOf(await call.panel<ProjectChangeResult>(LEAD, 'project/apply', { op: tick }, key));
    expect(confirmed.view?.integrity.status).toBe('ok');
  });
});
