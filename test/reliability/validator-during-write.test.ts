/**
 * The workflow validator reading a project while Tollgate writes it. A write claims its ledger slot, writes the RAID
 * shards, then the governance document, then marks the slot committed; a validator that reads in between must not
 * answer from the half-written state ("has no stage-gate record yet", "changed outside Tollgate"). Each test fixes
 * the interleaving: a Jira port that holds the governance write until the validator has read, or a ledger read that
 * lets a whole write land between the validator's two reads.
 */
import { PEOPLE } from '../../sandbox/seed/people';
import { applyOpUseCase } from '../../src/app/apply-op-use-case';
import { type AppDeps } from '../../src/app/deps';
import { type JiraPort, type StoragePort } from '../../src/app/ports';
import { type TransitionAnswer, validateTransitionUseCase } from '../../src/app/validate-transition-use-case';
import { type OpInput, opPayloadSchema } from '../../src/domain/ops';
import { type BackendWorld, startBackendWorld } from '../integration/backend-world';

const LEAD = PEOPLE.pmoLead.accountId;
const OWNER = PEOPLE.owner.accountId;
const NO_RECORD = 'has no stage-gate record yet';
const CHANGED_OUTSIDE = 'changed outside Tollgate';

jest.setTimeout(90_000);

describe('the validator while a write to the same project is landing', () => {
  let world: BackendWorld;
  let fresh: string[];

  const write = (deps: AppDeps, key: string, op: OpInput) =>
    world.as(LEAD, () => applyOpUseCase(deps, { accountId: LEAD, issueKey: key, op: opPayloadSchema.parse(op) }));
  const start: OpInput = { type: 'startGovernance', templateId: 'cooper-stage-gate', templateVersion: 1 };
  const risk = (title: string): OpInput => ({
    type: 'addRaidItem',
    item: { type: 'risk', title, owner: OWNER, likelihood: 2, impact: 3 },
  });
  const statusId = (name: string) => world.data.store.getStatus(name)!.id;
  /** The validator on "Pass gate to Scoping", as Jira calls it. */
  const validate = (deps: AppDeps, key: string, waits?: readonly number[]): Promise<TransitionAnswer> =>
    world.as(LEAD, () =>
      validateTransitionUseCase(deps, {
        issueKey: key,
        accountId: LEAD,
        transition: { fromStatusId: statusId('Discovery'), toStatusId: statusId('Scoping') },
        ...(waits ? { waits } : {}),
      }),
    );
  const gateRefusal = (key: string) => ({
    result: false,
    errorMessage: expect.stringContaining(`${key} cannot pass Gate 1: Idea Screen: missing must-meet`) as unknown,
  });

  /** A Jira port that holds the governance write (the RAID shards are already written) until released. */
  function holdingGovernanceWrite(): { jira: JiraPort; reached: Promise<void>; release: () => void } {
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    let reach!: () => void;
    const reached = new Promise<void>((done) => (reach = done));
    const jira: JiraPort = {
      ...world.deps.jira,
      async setProperty(acting, issue, key, value) {
        if (key === 'tollgate-governance') {
          reach();
          await released;
        }
        return world.deps.jira.setProperty(acting, issue, key, value);
      },
    };
    return { jira, reached, release };
  }

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    const store = world.data.store;
    // Registry projects nobody governs yet, in Jira's first status: one per test, made here so no test depends on
    // how many the demo leaves ungoverned.
    fresh = Array.from(
      { length: 3 },
      (_, n) =>
        store.createIssue(
          { project: 'PMO', issueType: 'Project', summary: `Validator check ${n + 1}` },
          { kind: 'user', accountId: LEAD },
        ).key,
    );
  });
  afterAll(() => world.close());

  it("a project's first write in flight: the validator waits for it and judges the gate, never 'no record'", async () => {
    const key = fresh[0]!;
    const hold = holdingGovernanceWrite();
    const writing = write({ ...world.deps, jira: hold.jira }, key, start);
    await hold.reached;
    // The validator's first wait is where the write lands: the interleaving is fixed, not timed.
    let waits = 0;
    const clock = {
      now: () => world.deps.clock.now(),
      sleep: async () => {
        waits += 1;
        hold.release();
        await writing;
      },
    };
    try {
      const answer = await validate({ ...world.deps, clock }, key);
      expect(JSON.stringify(answer)).not.toContain(NO_RECORD);
      expect(answer).toEqual(gateRefusal(key));
      expect(waits).toBe(1);
    } finally {
      // Whatever the validator did, the held write lands, so the tests after this one start from a quiet project.
      hold.release();
      await writing;
    }
  });

  it('a RAID write held between its shards and its governance: the validator waits, then judges the gate', async () => {
    const key = fresh[0]!; // governed by the test above
    const hold = holdingGovernanceWrite();
    const writing = write({ ...world.deps, jira: hold.jira }, key, risk('Supplier capacity'));
    await hold.reached;
    const clock = {
      now: () => world.deps.clock.now(),
      sleep: async () => {
        hold.release();
        await writing;
      },
    };
    try {
      expect(await validate({ ...world.deps, clock }, key)).toEqual(gateRefusal(key));
    } finally {
      hold.release();
      await writing;
    }
  });

  it('a write still in flight after every wait: asks to try again, never calls the project ungoverned', async () => {
    const key = fresh[1]!;
    const hold = holdingGovernanceWrite();
    const writing = write({ ...world.deps, jira: hold.jira }, key, start);
    await hold.reached;
    try {
      const answer = await validate(world.deps, key, [1, 1, 1]);
      expect(answer).toEqual({
        result: false,
        errorMessage: `${key}: its stage-gate record is being changed in Tollgate right now. Try the transition again in a moment.`,
      });
    } finally {
      hold.release();
      await writing;
    }
    expect(await validate(world.deps, key)).toEqual(gateRefusal(key));
  });

  it("documents read just before a write and the ledger just after it: not 'changed outside Tollgate'", async () => {
    const key = fresh[2]!;
    await write(world.deps, key, start);
    // The validator's first ledger read lets a whole write land first: its documents are then one revision behind
    // a committed ledger, which is what a rollback through REST looks like too.
    let raced = false;
    const storage: StoragePort = {
      ...world.deps.storage,
      async ledger(issueId, fromRev) {
        if (!raced) {
          raced = true;
          await write(world.deps, key, risk('Permit delayed'));
        }
        return world.deps.storage.ledger(issueId, fromRev);
      },
    };
    const answer = await validate({ ...world.deps, storage }, key);
    expect(raced).toBe(true);
    expect(answer).toEqual(gateRefusal(key));
    expect(JSON.stringify(answer)).not.toContain(CHANGED_OUTSIDE);
  });
});
