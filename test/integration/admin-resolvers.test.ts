/**
 * The admin page's resolver as Forge calls it, over the sandbox: who may read and save the settings, every problem
 * a save can have, the registry JQL tried in Jira, role groups checked in Jira, and two admins saving over the same
 * version.
 */
import { ALL_PEOPLE, GROUPS, PEOPLE } from '../../sandbox/seed/people';
import {
  type JqlPreviewResult,
  type ReadModelRecheckResult,
  type ReadModelStatus,
  type SettingsLoadResult,
  type SettingsSaveResult,
} from '../../src/contract/admin';
import { type ResolverResponse } from '../../src/contract/envelope';
import adminResolver from '../../src/resolvers/admin-resolvers';
import { type BackendWorld, startBackendWorld } from './backend-world';

const ADMIN = PEOPLE.admin.accountId;
const LEAD = PEOPLE.pmoLead.accountId;
const MEMBER = PEOPLE.member.accountId;
const PMO_ONLY_JQL = 'project = PMO AND issuetype = Project ORDER BY key';

jest.setTimeout(60_000);

describe('the admin resolver in the sandbox', () => {
  let world: BackendWorld;

  const invoke = <T>(accountId: string, functionKey: string, payload: unknown): Promise<ResolverResponse<T>> =>
    world.as(accountId, async () => {
      const result = await adminResolver(
        { call: { functionKey, payload }, context: { accountId, extension: { type: 'jira:adminPage' } } },
        { principal: { accountId } },
      );
      return result as ResolverResponse<T>;
    });
  const dataOf = <T>(response: ResolverResponse<T>): T => {
    if (!response.success) throw new Error(`expected success, got ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const load = (accountId: string) => invoke<SettingsLoadResult>(accountId, 'settings/load', {});
  const save = (accountId: string, payload: unknown) => invoke<SettingsSaveResult>(accountId, 'settings/save', payload);
  /** The app's storage, where settings live, less the hourly points accounting reads and background work keep. */
  const kvs = () =>
    Object.fromEntries(Object.entries(world.runtime.storageSnapshot()).filter(([key]) => !key.startsWith('points:')));
  /** What the admin's form sends back after loading: the settings as loaded, with `changes`, on their version. */
  const formOf = (loaded: SettingsLoadResult, changes: Record<string, unknown> = {}) => ({
    ...loaded.settings,
    expectedVersion: loaded.version,
    ...changes,
  });
  const countAs = async (accountId: string, jql: string): Promise<number> =>
    (
      (await world.rest({ kind: 'user', accountId }, 'POST', '/rest/api/3/search/approximate-count', { jql })).json as {
        count: number;
      }
    ).count;

  beforeAll(async () => {
    world = await startBackendWorld('controlling');
    // Groups the saves below name, which a site would have: the race's two PMO groups and one that holds everyone.
    for (const group of ['pmo-north', 'pmo-south', 'all-of-nordlys']) world.data.store.createGroup(group);
    for (const person of ALL_PEOPLE) world.data.store.addToGroup('all-of-nordlys', person.accountId);
  });
  afterAll(() => world.close());

  describe('settings/load', () => {
    it('gives a Jira admin the settings, their version and the newest version of every template', async () => {
      const loaded = dataOf(await load(ADMIN));
      expect(loaded).toMatchObject({
        version: 1,
        isAdmin: true,
        settings: { mode: 'controlling', pmoGroup: 'tollgate-pmo', registryJql: expect.stringContaining('PMO, CONF') },
      });
      expect(loaded.settings).not.toHaveProperty('version');
      expect(loaded.templates.map((t) => [t.id, t.version, t.shipped])).toEqual([
        ['cooper-stage-gate', 1, true],
        ['prince2-lite', 1, true],
      ]);
    });

    it('shows the PMO the settings read-only and refuses everyone else', async () => {
      expect(dataOf(await load(LEAD)).isAdmin).toBe(false);
      expect(await load(MEMBER)).toMatchObject({ success: false, errors: [{ errorType: 'FORBIDDEN' }] });
    });
  });

  describe('settings/save', () => {
    it('refuses anyone but a Jira admin, and saves nothing', async () => {
      const before = kvs();
      const loaded = dataOf(await load(LEAD));
      const response = await save(LEAD, formOf(loaded, { mode: 'directive' }));
      expect(response).toEqual({
        success: false,
        errors: [{ errorType: 'FORBIDDEN', message: "Only Jira administrators can change Tollgate's settings." }],
      });
      expect(kvs()).toEqual(before);
    });

    it('lists every problem of invalid settings at once, and saves nothing', async () => {
      const before = kvs();
      const loaded = dataOf(await load(ADMIN));
      const response = await save(
        ADMIN,
        formOf(loaded, {
          mode: 'strict',
          registryJql: '   ',
          health: { ...loaded.settings.health, staleness: { enabled: true, amberAfterDays: 30, redAfterDays: 10 } },
        }),
      );
      expect(response.success).toBe(false);
      if (response.success) return;
      expect(response.errors).toHaveLength(1);
      expect(response.errors[0]?.errorType).toBe('INVALID_PAYLOAD');
      expect(response.errors[0]?.problems).toEqual(
        expect.arrayContaining([
          'registryJql: Too small: expected string to have >=1 characters',
          expect.stringMatching(/^mode: Invalid option: expected one of "supportive"\|"controlling"\|"directive"/),
          'health.staleness.redAfterDays: the red staleness limit must be more days than the amber one',
        ]),
      );
      expect(response.errors[0]?.problems).toHaveLength(3);
      expect(kvs()).toEqual(before);
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a misspelt key', { registryJQL: PMO_ONLY_JQL }, '(payload): Unrecognized key: "registryJQL"'],
      [
        'a version of its own',
        { version: 9 },
        'version: send the version you loaded as expectedVersion; the server sets version',
      ],
      [
        'a default template that does not exist',
        { defaultTemplateId: 'waterfall' },
        'defaultTemplateId: no template has the id "waterfall"',
      ],
      [
        'no expected version',
        { expectedVersion: undefined },
        'expectedVersion: Invalid input: expected number, received undefined',
      ],
      ['a negative expected version', { expectedVersion: -1 }, 'expectedVersion: Too small: expected number to be >=0'],
    ])('refuses %s, and saves nothing', async (_case, changes, problem) => {
      const before = kvs();
      const loaded = dataOf(await load(ADMIN));
      const response = await save(ADMIN, formOf(loaded, changes));
      expect(response).toMatchObject({
        success: false,
        errors: [{ errorType: 'INVALID_PAYLOAD', problems: [problem] }],
      });
      expect(kvs()).toEqual(before);
    });

    it('refuses role groups Jira does not have, naming each field, and saves nothing', async () => {
      const before = kvs();
      const loaded = dataOf(await load(ADMIN));
      const response = await save(
        ADMIN,
        formOf(loaded, {
          pmoGroup: 'tollgate-pmo-typo',
          roleGroups: { sponsor: 'sponsors', 'project-board': 'board' },
        }),
      );
      expect(response).toMatchObject({
        success: false,
        errors: [
          {
            errorType: 'INVALID_PAYLOAD',
            problems: [
              'pmoGroup: no Jira group is named "tollgate-pmo-typo"',
              'roleGroups.project-board: no Jira group is named "board"',
            ],
          },
        ],
      });
      expect(kvs()).toEqual(before);
    });

    it('saves a role given to everyone, with a warning: by its name, or because it holds every active person', async () => {
      const loaded = dataOf(await load(ADMIN));
      const byName = dataOf(await save(ADMIN, formOf(loaded, { pmoGroup: GROUPS.users })));
      expect(byName.warnings).toEqual([{ code: 'defaultGroup', group: GROUPS.users, role: 'pmo', count: null }]);
      const byMembers = dataOf(
        await save(ADMIN, {
          ...byName.settings,
          pmoGroup: GROUPS.pmo,
          roleGroups: { ...byName.settings.roleGroups, sponsor: 'all-of-nordlys' },
          expectedVersion: byName.version,
        }),
      );
      expect(byMembers.warnings).toEqual([
        { code: 'everyone', group: 'all-of-nordlys', role: 'sponsor', count: ALL_PEOPLE.length },
      ]);
      const restored = dataOf(
        await save(ADMIN, {
          ...byMembers.settings,
          roleGroups: loaded.settings.roleGroups,
          expectedVersion: byMembers.version,
        }),
      );
      expect(restored.warnings).toEqual([]);
    });

    it("refuses a registry JQL Jira rejects with Jira's own words, and saves nothing", async () => {
      // The reconciliation an earlier save queued claims its background points in storage: let it finish first.
      await world.settle();
      const before = kvs();
      const loaded = dataOf(await load(ADMIN));
      const response = await save(ADMIN, formOf(loaded, { registryJql: 'project = NOPE' }));
      expect(response).toEqual({
        success: false,
        errors: [
          {
            errorType: 'INVALID_PAYLOAD',
            message:
              "Jira does not accept the registry JQL: The value 'NOPE' does not exist for the field 'project'. Fix the query and save again; nothing was saved.",
          },
        ],
      });
      expect(kvs()).toEqual(before);
    });

    it('checks the registry as the app governs it: an admin who cannot browse CONF can still keep it in the registry', async () => {
      // Alex Admin administers Jira but is not in confidential-programmes, so CONF is invisible to him.
      const loaded = dataOf(await load(ADMIN));
      expect(loaded.settings.registryJql).toContain('CONF');
      const saved = dataOf(await save(ADMIN, formOf(loaded, { mode: 'directive' })));
      expect(saved.version).toBe(loaded.version + 1);
      expect(saved.registryMatches).toBe(40); // every registry project, CONF included: what the app governs
      // He still sees none of CONF himself: his own reads run as him.
      expect(await countAs(ADMIN, 'project = PMO AND issuetype = Project')).toBeLessThan(40);
    });

    it('saves valid settings: the version moves on, the JQL match count comes back, use cases see them', async () => {
      const loaded = dataOf(await load(ADMIN));
      const saved = dataOf(await save(ADMIN, formOf(loaded, { registryJql: PMO_ONLY_JQL, mode: 'directive' })));
      expect(saved.version).toBe(loaded.version + 1);
      expect(saved.registryMatches).toBe(await countAs(ADMIN, PMO_ONLY_JQL));
      expect(saved.registryMatches).toBeGreaterThan(20);
      expect(saved.settings).toMatchObject({ registryJql: PMO_ONLY_JQL, mode: 'directive' });
      expect(dataOf(await load(ADMIN))).toMatchObject({ version: saved.version, settings: saved.settings });
      await expect(world.as(null, () => world.deps.storage.loadSettings())).resolves.toMatchObject({
        version: saved.version,
        mode: 'directive',
        registryJql: PMO_ONLY_JQL,
      });
    });

    it('refuses a save based on a version someone else has saved over (CONFLICT), and saves nothing', async () => {
      const first = dataOf(await load(ADMIN));
      const second = dataOf(await load(ADMIN));
      dataOf(await save(ADMIN, formOf(first, { mode: 'supportive' })));
      await world.settle();
      const before = kvs();
      const response = await save(ADMIN, formOf(second, { mode: 'controlling' }));
      expect(response).toMatchObject({ success: false, errors: [{ errorType: 'CONFLICT' }] });
      expect(JSON.stringify(response)).toContain('Reload, redo your changes and save again.');
      expect(kvs()).toEqual(before);
      expect(dataOf(await load(ADMIN)).settings.mode).toBe('supportive');
    });
  });

  it('lets exactly one of two admins saving over the same version at the same moment win', async () => {
    const loaded = dataOf(await load(ADMIN));
    const responses = await Promise.all([
      save(ADMIN, formOf(loaded, { registryJql: PMO_ONLY_JQL, pmoGroup: 'pmo-north' })),
      save(ADMIN, formOf(loaded, { registryJql: PMO_ONLY_JQL, pmoGroup: 'pmo-south' })),
    ]);
    expect(responses.map((r) => r.success).sort()).toEqual([false, true]);
    expect(responses.find((r) => !r.success)).toMatchObject({ errors: [{ errorType: 'CONFLICT' }] });
    const winner = responses.findIndex((r) => r.success);
    expect(dataOf(await load(ADMIN))).toMatchObject({
      version: loaded.version + 1,
      settings: { pmoGroup: winner === 0 ? 'pmo-north' : 'pmo-south' },
    });
  });

  describe('settings/previewJql', () => {
    it('counts the registry the app would govern, for admins and the PMO only', async () => {
      const preview = (accountId: string, jql: string) =>
        invoke<JqlPreviewResult>(accountId, 'settings/previewJql', { jql });
      expect(dataOf(await preview(ADMIN, PMO_ONLY_JQL))).toEqual({
        valid: true,
        count: await countAs(LEAD, PMO_ONLY_JQL),
      });
      const withConf = 'project in (PMO, CONF) AND issuetype = Project';
      expect(dataOf(await preview(ADMIN, withConf))).toEqual({ valid: true, count: 40 });
      // A member could otherwise learn how many issues match in projects hidden from them.
      await expect(preview(MEMBER, 'project = CONF')).resolves.toMatchObject({
        success: false,
        errors: [{ errorType: 'FORBIDDEN' }],
      });
    });

    it("answers a query Jira refuses with Jira's message", async () => {
      expect(await invoke(ADMIN, 'settings/previewJql', { jql: 'project = NOPE' })).toEqual({
        success: true,
        data: { valid: false, message: "The value 'NOPE' does not exist for the field 'project'." },
      });
    });

    it('refuses an empty query as INVALID_PAYLOAD', async () => {
      expect(await invoke(ADMIN, 'settings/previewJql', { jql: '  ' })).toMatchObject({
        success: false,
        errors: [
          { errorType: 'INVALID_PAYLOAD', problems: ['jql: Too small: expected string to have >=1 characters'] },
        ],
      });
    });
  });

  describe('readModel/status and readModel/recheck', () => {
    const status = (accountId: string) => invoke<ReadModelStatus>(accountId, 'readModel/status', {});
    const recheck = (accountId: string) => invoke<ReadModelRecheckResult>(accountId, 'readModel/recheck', {});
    const backdate = (iso: string) => world.editReadModel('UPDATE project_projection SET written_at = ?', iso);

    // The PMO group's members may ask too (test/reliability/permissions.test.ts); here the group was renamed above.
    it('tell an admin how many projects the portfolio reads and since when all were checked', async () => {
      // The saves above narrowed the registry to PMO; the reconciliation each save queued removed the others' rows.
      await world.settle();
      const registry = dataOf(await load(ADMIN)).settings.registryJql;
      const seen = dataOf(await status(ADMIN));
      expect(seen.projects).toBe(await countAs(ADMIN, registry));
      expect(seen.projects).toBeLessThan(40);
      expect(seen.checkedSince).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    });

    it('refuse anyone else, both, and queue nothing', async () => {
      const before = world.runtime.invocations().length;
      for (const key of ['readModel/status', 'readModel/recheck']) {
        expect(await invoke(MEMBER, key, {})).toMatchObject({ success: false, errors: [{ errorType: 'FORBIDDEN' }] });
      }
      await world.settle();
      expect(
        world.runtime
          .invocations()
          .slice(before)
          .filter((r) => r.kind === 'consumer'),
      ).toEqual([]);
    });

    it('refuse a payload with anything in it', async () => {
      for (const key of ['readModel/status', 'readModel/recheck']) {
        expect(await invoke(ADMIN, key, { all: true })).toMatchObject({
          success: false,
          errors: [{ errorType: 'INVALID_PAYLOAD' }],
        });
      }
    });

    it('check every project again on demand, but not again minutes after a full check', async () => {
      await backdate('2026-11-20T06:00:00.000Z');
      expect(dataOf(await status(ADMIN))).toMatchObject({
        checkedSince: '2026-11-20T06:00:00.000Z',
        recheckFrom: null,
      });
      // Every project the registry selects now (the save above narrowed it to PMO).
      const registry = dataOf(await load(ADMIN)).settings.registryJql;
      expect(dataOf(await recheck(ADMIN))).toEqual({ queued: await countAs(ADMIN, registry) });
      await world.settle();
      const after = dataOf(await status(ADMIN));
      expect(after.checkedSince! > '2026-11-20T06:00:00.000Z').toBe(true);
      expect(after.recheckFrom).not.toBeNull();
      expect(await recheck(ADMIN)).toMatchObject({
        success: false,
        errors: [{ errorType: 'REFUSED', i18n: { key: 'admin.readModel.recent' } }],
      });
    });
  });
});
