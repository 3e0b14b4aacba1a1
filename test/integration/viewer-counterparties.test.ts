/**
 * viewer-counterparties.ts against the Jira emulator: the stored health of awaited projects is read as the viewer,
 * 100 keys a search, followed along `waitsOn` as far as the viewer may see, and a key Jira refuses (deleted, or
 * hidden from this person) costs a few searches and is unknown, holding nothing else back.
 */
import { type JsonValue } from '../../sandbox/jira/store';
import { PEOPLE } from '../../sandbox/seed/people';
import { type Acting } from '../../src/app/ports';
import { COUNTERPARTY_SEARCHES, viewerCounterparties } from '../../src/app/viewer-counterparties';
import { HEALTH_PROPERTY_KEY, type HealthDocument } from '../../src/domain/documents/health-document';
import { type RagOrNone } from '../../src/domain/rag';
import { type BackendWorld, startBackendWorld } from './backend-world';

const LEAD: Acting = { as: 'user', accountId: PEOPLE.pmoLead.accountId };
const OUTSIDER: Acting = { as: 'user', accountId: PEOPLE.outsider.accountId };
const APP = { kind: 'app' } as const;
/** More than one search's worth of keys. */
const DELIVERABLES = 110;
const KEYS_PER_SEARCH = 100;

jest.setTimeout(60_000);

describe('viewerCounterparties', () => {
  let world: BackendWorld;
  /** A valid stored health to vary: the first demo project's. */
  let template: HealthDocument;
  /** Deliverables in PMO; every third one is red on its own facts. */
  let deliverables: string[];

  const searches = () => world.jira.emulator.requestLog().filter((r) => r.path.includes('/search/jql')).length;
  const create = (project: string, health: unknown): string =>
    world.data.store.createIssue(
      {
        project,
        issueType: 'Task',
        summary: `Deliverable in ${project}`,
        properties: { [HEALTH_PROPERTY_KEY]: health as JsonValue },
      },
      APP,
    ).key;
  const stored = (rag: RagOrNone, waitsOn: string[] = []): HealthDocument => ({
    ...template,
    rag,
    ...(waitsOn.length > 0 ? { waitsOn } : {}),
  });
  const walk = (acting: Acting, keys: readonly string[]) =>
    world.as(acting.as === 'user' ? acting.accountId : null, async () => {
      const lookup = await viewerCounterparties(world.deps, acting, keys);
      return Object.fromEntries(keys.map((key) => [key, lookup(key) ?? null]));
    });

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    const first = world.data.store.listIssues().find((i) => i.key === 'PMO-1')!;
    template = world.data.store.getProperty(first.id, HEALTH_PROPERTY_KEY) as unknown as HealthDocument;
    expect(template).toMatchObject({ schema: 1 });
    deliverables = Array.from({ length: DELIVERABLES }, (_, n) => create('PMO', stored(n % 3 === 0 ? 'red' : 'green')));
    world.jira.settleSearchIndex();
  });
  afterAll(() => world.close());

  it('reads many keys 100 a search, and a key Jira refuses is unknown without holding anything back', async () => {
    const expected = Object.fromEntries(deliverables.map((key, n) => [key, n % 3 === 0 ? 'red' : 'green']));
    world.jira.emulator.resetRequestLog();
    expect(await walk(LEAD, [...deliverables, ...deliverables.slice(0, 20)])).toEqual(expected);
    expect(searches()).toBe(Math.ceil(DELIVERABLES / KEYS_PER_SEARCH));

    // Jira names every key it refuses (deleted, or hidden from this person): one search more, whatever their number.
    world.jira.emulator.resetRequestLog();
    expect(await walk(LEAD, [...deliverables.slice(0, 97), 'PMO-9999', 'PMO-9998', 'NOPE-1'])).toEqual({
      ...Object.fromEntries(deliverables.slice(0, 97).map((key) => [key, expected[key]])),
      'PMO-9999': null,
      'PMO-9998': null,
      'NOPE-1': null,
    });
    expect(searches()).toBe(2);
  });

  it('follows red along waitsOn, through cycles, and a damaged stored health tells nothing', async () => {
    const red = create('PMO', stored('red'));
    const middle = create('PMO', stored('amber', [red]));
    const start = create('PMO', stored('green', [middle]));
    const loopA = create('PMO', stored('green'));
    const loopB = create('PMO', stored('green', [loopA]));
    world.data.store.setProperty(world.idOf(loopA), HEALTH_PROPERTY_KEY, stored('green', [loopB]), APP);
    const damaged = create('PMO', { schema: 1, rag: 'red' });
    world.jira.settleSearchIndex();
    expect(await walk(LEAD, [start, loopA, damaged])).toEqual({ [start]: 'red', [loopA]: 'green', [damaged]: null });
  });

  it('as far as the viewer may see: red beyond a project hidden from them does not reach them', async () => {
    const hiddenRed = create('CONF', stored('red'));
    const visible = create('PMO', stored('green', [hiddenRed]));
    world.jira.settleSearchIndex();
    expect(await walk(LEAD, [visible, hiddenRed])).toEqual({ [visible]: 'red', [hiddenRed]: 'red' });
    expect(await walk(OUTSIDER, [visible, hiddenRed])).toEqual({ [visible]: 'green', [hiddenRed]: null });
  });

  it(`makes at most ${COUNTERPARTY_SEARCHES} searches, however long the chain`, async () => {
    const chain: string[] = [create('PMO', stored('red'))];
    for (let n = 0; n < COUNTERPARTY_SEARCHES + 2; n += 1) chain.push(create('PMO', stored('green', [chain.at(-1)!])));
    world.jira.settleSearchIndex();
    world.jira.emulator.resetRequestLog();
    const head = chain.at(-1)!;
    // The red end is past the limit: the head is judged on what was read.
    expect(await walk(LEAD, [head])).toEqual({ [head]: 'green' });
    expect(searches()).toBe(COUNTERPARTY_SEARCHES);
    // A chain within the budget is followed to its red end.
    const near = chain[COUNTERPARTY_SEARCHES - 1]!;
    expect(await walk(LEAD, [near])).toEqual({ [near]: 'red' });
  });
});
