/**
 * The KVS storage adapter against the sandbox's KVS (SQLite behind the real @forge/kvs SDK), inside Forge invocations.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForgeKvsAPIError, kvs, MetadataField } from '@forge/kvs';
import { MAX_VALUE_BYTES } from '../../../sandbox/forge/kvs-store';
import type { ForgeRuntime } from '../../../sandbox/forge/types';
import { inForge, startAdaptersApp } from '../../../test/fixtures/adapters-app/harness';
import { TollgateError } from '../../app/errors';
import { type LedgerEntry, type StoragePort } from '../../app/ports';
import { DEFAULT_SETTINGS, type Settings } from '../../domain/settings';
import { CorruptStorageError, createKvsStorage } from './kvs-storage';

const ISSUE = '10001';
const SIG = 'c'.repeat(64);

function entry(rev: number, overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    issueId: ISSUE,
    rev,
    op: { type: 'checkItem', itemId: `item-${rev}` },
    by: 'user-member',
    at: '2026-03-02T09:00:00.000Z',
    sig: SIG,
    ...overrides,
  };
}

/** `count` snapshot rows; long project keys make 10,000 rows ≈ 270 KB of JSON, more than one KVS value holds. */
function rows(count: number, project = 'PMO'): Array<{ key: string; rag: string }> {
  const rags = ['green', 'amber', 'red'];
  return Array.from({ length: count }, (_, i) => ({ key: `${project}-${i + 1}`, rag: rags[i % 3] ?? 'green' }));
}
const LONG_KEYS = 'ENTERPRISE';

describe('createKvsStorage', () => {
  let runtime: ForgeRuntime;
  let storage: StoragePort;
  const run = <T>(work: () => Promise<T>): Promise<T> => inForge(runtime, work);

  beforeEach(async () => {
    runtime = await startAdaptersApp();
    storage = createKvsStorage();
  });
  afterEach(async () => {
    await runtime.close();
  });

  describe('settings', () => {
    const controlling = (base: Settings): Settings => ({ ...base, mode: 'controlling', pmoGroup: 'pmo-office' });

    it('are the defaults, version 0, when never saved', async () => {
      await expect(run(() => storage.loadSettings())).resolves.toEqual(DEFAULT_SETTINGS);
      expect(DEFAULT_SETTINGS.version).toBe(0);
    });

    it('save as the next version and read back', async () => {
      await expect(run(() => storage.saveSettings(controlling(DEFAULT_SETTINGS), 0))).resolves.toBe(true);
      const first = await run(() => storage.loadSettings());
      expect(first).toEqual({ ...controlling(DEFAULT_SETTINGS), version: 1 });
      await expect(run(() => storage.saveSettings({ ...first, mode: 'directive' }, 1))).resolves.toBe(true);
      await expect(run(() => createKvsStorage().loadSettings())).resolves.toMatchObject({
        version: 2,
        mode: 'directive',
        pmoGroup: 'pmo-office',
      });
    });

    it('refuse a save based on a version someone else saved over', async () => {
      const seenByA = await run(() => storage.loadSettings());
      const seenByB = await run(() => storage.loadSettings());
      await expect(run(() => storage.saveSettings(controlling(seenByA), seenByA.version))).resolves.toBe(true);
      await expect(run(() => storage.saveSettings({ ...seenByB, mode: 'directive' }, seenByB.version))).resolves.toBe(
        false,
      );
      await expect(run(() => storage.loadSettings())).resolves.toMatchObject({ version: 1, mode: 'controlling' });
    });

    it('let exactly one of two concurrent saves over the same version win', async () => {
      const results = await Promise.all(
        (['controlling', 'directive'] as const).map((mode) =>
          run(() => createKvsStorage().saveSettings({ ...DEFAULT_SETTINGS, mode }, 0)),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results[0] ? 'controlling' : 'directive';
      await expect(run(() => storage.loadSettings())).resolves.toMatchObject({ version: 1, mode: winner });
    });

    it('find a version whose save stopped before updating the pointer', async () => {
      // As if the invocation died between claiming settings:v1 and writing `settings`.
      await run(() => kvs.set('settings:v1', { ...DEFAULT_SETTINGS, version: 1, mode: 'directive' }));
      await expect(run(() => storage.loadSettings())).resolves.toMatchObject({ version: 1, mode: 'directive' });
      await expect(run(() => storage.saveSettings(DEFAULT_SETTINGS, 0))).resolves.toBe(false);
      await expect(run(() => storage.saveSettings({ ...DEFAULT_SETTINGS, version: 1 }, 1))).resolves.toBe(true);
      await expect(run(() => storage.loadSettings())).resolves.toMatchObject({ version: 2, mode: 'supportive' });
    });

    it('fill in defaults for fields a stored version does not have', async () => {
      await run(async () => {
        await kvs.set('settings:v1', { version: 1, mode: 'directive' });
        await kvs.set('settings', { version: 1, mode: 'directive' });
      });
      await expect(run(() => storage.loadSettings())).resolves.toEqual({
        ...DEFAULT_SETTINGS,
        version: 1,
        mode: 'directive',
      });
    });

    it('fall back to the defaults, keeping the stored version, with a warning when unreadable', async () => {
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      await run(async () => {
        await kvs.set('settings:v3', { version: 3, mode: 'chaos' });
        await kvs.set('settings', { version: 3, mode: 'chaos' });
      });
      await expect(run(() => storage.loadSettings())).resolves.toEqual({ ...DEFAULT_SETTINGS, version: 3 });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('stored settings version 3 are unreadable'));
      // The admin can save over them from what they were shown.
      await expect(run(() => storage.saveSettings({ ...DEFAULT_SETTINGS, version: 3 }, 3))).resolves.toBe(true);
      warn.mockRestore();
    });

    it('refuse to store settings that settingsSchema refuses', async () => {
      await expect(
        run(() => storage.saveSettings({ ...DEFAULT_SETTINGS, defaultTemplateId: 'no-such-template' }, 0)),
      ).rejects.toThrow(TypeError);
      await expect(run(() => storage.saveSettings(DEFAULT_SETTINGS, -1))).rejects.toThrow(TypeError);
      expect(runtime.storageSnapshot()).toEqual({});
    });
  });

  describe('ledger', () => {
    it('claims a free revision once; the second claim returns false and changes nothing', async () => {
      await expect(run(() => storage.claimLedger(entry(1)))).resolves.toBe(true);
      await expect(run(() => storage.claimLedger(entry(1, { by: 'user-lead' })))).resolves.toBe(false);
      await expect(run(() => storage.ledger(ISSUE))).resolves.toEqual([entry(1)]);
    });

    it('lets exactly one of 10 racing claims of the same revision win', async () => {
      const claims = Array.from({ length: 10 }, (_, i) =>
        run(() => createKvsStorage().claimLedger(entry(1, { by: `user-${i}` }))),
      );
      const results = await Promise.all(claims);
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      await expect(run(() => storage.ledger(ISSUE))).resolves.toEqual([entry(1, { by: `user-${winner}` })]);
    });

    it('orders revisions numerically across 9 → 10 → 100 and keeps issues with prefix ids apart', async () => {
      await run(async () => {
        for (const rev of [100, 10, 9, 1, 2]) await storage.claimLedger(entry(rev));
        // Issue 100012 starts with "10001"; its entries must not show up in issue 10001's ledger.
        await storage.claimLedger(entry(1, { issueId: '100012' }));
      });
      const revs = async (fromRev?: number): Promise<number[]> =>
        (await run(() => storage.ledger(ISSUE, fromRev))).map((e) => e.rev);
      await expect(revs()).resolves.toEqual([1, 2, 9, 10, 100]);
      await expect(revs(10)).resolves.toEqual([10, 100]);
      await expect(revs(101)).resolves.toEqual([]);
      await expect(run(() => storage.ledgerHead(ISSUE))).resolves.toBe(100);
      await expect(run(() => storage.ledgerHead('100012'))).resolves.toBe(1);
    });

    it('reads a ledger longer than one query page', async () => {
      await run(async () => {
        for (let rev = 1; rev <= 250; rev += 1) await storage.claimLedger(entry(rev));
      });
      const all = await run(() => storage.ledger(ISSUE));
      expect(all.map((e) => e.rev)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
      await expect(run(() => storage.ledgerHead(ISSUE))).resolves.toBe(250);
      await expect(run(() => storage.ledger(ISSUE, 248))).resolves.toHaveLength(3);
    });

    it('has head 0 and no entries for an issue never written', async () => {
      await expect(run(() => storage.ledgerHead(ISSUE))).resolves.toBe(0);
      await expect(run(() => storage.ledger(ISSUE))).resolves.toEqual([]);
    });

    it('marks a claimed revision committed, and refuses one never claimed', async () => {
      await run(() => storage.claimLedger(entry(1)));
      await run(() => storage.markCommitted(ISSUE, 1));
      await run(() => storage.markCommitted(ISSUE, 1));
      await expect(run(() => storage.ledger(ISSUE))).resolves.toEqual([{ ...entry(1), committed: true }]);
      await expect(run(() => storage.markCommitted(ISSUE, 2))).rejects.toThrow(TollgateError);
      await expect(run(() => storage.markCommitted(ISSUE, 2))).rejects.toThrow('was never claimed');
    });

    it('marks a claimed revision stalled, never one already committed, and refuses one never claimed', async () => {
      await run(async () => {
        await storage.claimLedger(entry(1));
        await storage.claimLedger(entry(2));
        await storage.markStalled(ISSUE, 1);
        await storage.markCommitted(ISSUE, 2);
        await storage.markStalled(ISSUE, 2);
      });
      await expect(run(() => storage.ledger(ISSUE))).resolves.toEqual([
        { ...entry(1), stalled: true },
        { ...entry(2), committed: true },
      ]);
      await expect(run(() => storage.markStalled(ISSUE, 3))).rejects.toThrow('was never claimed');
    });

    it('rethrows KVS refusals other than an existing key', async () => {
      const huge = entry(1, { op: { note: 'x'.repeat(MAX_VALUE_BYTES) } });
      const refusal = run(() => storage.claimLedger(huge));
      await expect(refusal).rejects.toBeInstanceOf(ForgeKvsAPIError);
      await expect(refusal).rejects.toMatchObject({ code: 'MAX_SIZE' });
    });

    it('refuses ids that are not Jira issue ids before building a key from them', async () => {
      await expect(run(() => storage.claimLedger(entry(1, { issueId: 'PMO-1' })))).rejects.toThrow(TypeError);
      await expect(run(() => storage.ledger('10001:x'))).rejects.toThrow(TypeError);
      await expect(run(() => storage.claimLedger(entry(0)))).rejects.toThrow(TypeError);
      expect(runtime.storageSnapshot()).toEqual({});
    });

    it('reports a malformed stored entry, or one under the wrong key, as corrupt', async () => {
      await run(() => kvs.set('ledger:10001:000000001', { ...entry(1), at: 'yesterday' }));
      await expect(run(() => storage.ledger(ISSUE))).rejects.toThrow(CorruptStorageError);
      await run(() => kvs.set('ledger:10001:000000001', entry(2)));
      await expect(run(() => storage.ledgerHead(ISSUE))).rejects.toThrow(
        'Tollgate\'s stored value "ledger:10001:000000001" is unreadable (it holds revision 2 of issue 10001)',
      );
    });
  });

  describe('signing key', () => {
    it('is created once as 64 hex digits and is the same on every call and every instance', async () => {
      const keys = await Promise.all(Array.from({ length: 5 }, () => run(() => createKvsStorage().signingKey())));
      expect(keys[0]?.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set(keys.map((key) => key.secret)).size).toBe(1);
      await expect(run(() => storage.signingKey())).resolves.toEqual(keys[0]);
      await expect(run(() => storage.signingKey())).resolves.toEqual(keys[0]);
      // A secret: never listed with the app's ordinary values.
      expect(runtime.storageSnapshot()).toEqual({});
    });

    it('survives a restart on the same SQLite file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tollgate-kvs-'));
      const file = join(dir, 'kvs.sqlite');
      try {
        const first = await startAdaptersApp(file);
        const key = await inForge(first, () => createKvsStorage().signingKey());
        await first.close();
        const second = await startAdaptersApp(file);
        await expect(inForge(second, () => createKvsStorage().signingKey())).resolves.toEqual(key);
        await second.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('names the installation it belongs to, which every signature is bound to', async () => {
      const key = await run(() => storage.signingKey());
      // The installation ARI Forge gives the invocation (the sandbox runtime's), not a product's site.
      expect(key.installation).toMatch(/^ari:cloud:ecosystem::installation\/[\w-]+$/);
      await expect(run(() => createKvsStorage().signingKey())).resolves.toEqual(key);
    });

    it('is never replaced when the stored one is unreadable', async () => {
      await run(() => kvs.setSecret('tollgate-signing-key', 'not-a-key'));
      await expect(run(() => storage.signingKey())).rejects.toThrow(CorruptStorageError);
      await expect(run(() => kvs.getSecret('tollgate-signing-key'))).resolves.toBe('not-a-key');
    });
  });

  describe('Jira quota points per person and hour', () => {
    const HOUR = '2026-12-02T07';

    it('start at 0, add up within the hour, and keep people and hours apart', async () => {
      await run(async () => {
        expect(await storage.pointsSpent('user-lead', HOUR)).toBe(0);
        await storage.spendPoints('user-lead', HOUR, 101);
        await storage.spendPoints('user-lead', HOUR, 41);
        await storage.spendPoints('user-member', HOUR, 7);
        expect(await storage.pointsSpent('user-lead', HOUR)).toBe(142);
        expect(await storage.pointsSpent('user-member', HOUR)).toBe(7);
        expect(await storage.pointsSpent('user-lead', '2026-12-02T08')).toBe(0);
      });
    });

    it('expire with a TTL, so nothing is left to clean up', async () => {
      await run(() => storage.spendPoints('user-lead', HOUR, 5));
      const stored = await run(() =>
        kvs.get<number>(`points:${HOUR}:user-lead`, {
          metadataFields: [MetadataField.UPDATED_AT, MetadataField.EXPIRE_TIME],
        }),
      );
      expect(stored?.value).toBe(5);
      // Two hours after the write: the hour it counts for is over by then, whenever in the hour it was written.
      expect(Date.parse(stored?.expireTime ?? '') - (stored?.updatedAt ?? 0)).toBe(2 * 3_600_000);
      expect(runtime.expireStorage('points:')).toBe(1);
      expect(await run(() => storage.pointsSpent('user-lead', HOUR))).toBe(0);
    });

    it('count a damaged value as nothing spent, and refuse malformed ids, hours and points', async () => {
      await run(() => kvs.set(`points:${HOUR}:user-lead`, 'lots'));
      expect(await run(() => storage.pointsSpent('user-lead', HOUR))).toBe(0);
      await expect(run(() => storage.pointsSpent('user lead!', HOUR))).rejects.toThrow(TypeError);
      await expect(run(() => storage.pointsSpent('user-lead', '2026-12-02'))).rejects.toThrow(TypeError);
      await expect(run(() => storage.spendPoints('user-lead', HOUR, -1))).rejects.toThrow(TypeError);
    });
  });

  describe('snapshots kept by earlier versions', () => {
    /** A week as versions before 1.1 wrote it: a header and parts of `perPart` rows, in one transaction. */
    const keepWeek = (
      week: string,
      weekRows: ReadonlyArray<{ key: string; rag: string; risk?: string }>,
      perPart = 5000,
    ) =>
      run(async () => {
        const parts = Math.ceil(weekRows.length / perPart);
        const transaction = kvs.transact();
        for (let part = 0; part < parts; part += 1) {
          const slice = weekRows.slice(part * perPart, (part + 1) * perPart);
          transaction.set(`snapshot-rows:${week}:${String(part).padStart(4, '0')}`, {
            week,
            part,
            rows: slice.map(({ key, rag, risk }) => (risk === undefined ? [key, rag] : [key, rag, risk])),
          });
        }
        transaction.set(`snapshot:${week}`, { schema: 1, week, parts, count: weekRows.length });
        await transaction.execute();
      });

    it('read a week of 10,000 rows kept in several parts, with and without risk bands', async () => {
      const portfolio = rows(10_000, LONG_KEYS);
      await keepWeek('2026-03-02', portfolio);
      await keepWeek('2026-02-23', [
        { key: 'PMO-1', rag: 'amber' },
        { key: 'PMO-2', rag: 'red', risk: 'extreme' },
      ]);
      await expect(run(() => storage.legacySnapshotWeeks())).resolves.toEqual(['2026-02-23', '2026-03-02']);
      await expect(run(() => storage.legacySnapshot('2026-03-02'))).resolves.toEqual(portfolio);
      await expect(run(() => storage.legacySnapshot('2026-02-23'))).resolves.toEqual([
        { key: 'PMO-1', rag: 'amber' },
        { key: 'PMO-2', rag: 'red', risk: 'extreme' },
      ]);
      await expect(run(() => storage.legacySnapshot('2026-03-09'))).resolves.toBeUndefined();
    });

    it('remove a week, header and every part', async () => {
      await keepWeek('2026-03-02', rows(10_000, LONG_KEYS));
      await keepWeek('2026-03-09', rows(3));
      await run(() => storage.removeLegacySnapshot('2026-03-02'));
      expect(Object.keys(runtime.storageSnapshot())).toEqual(['snapshot-rows:2026-03-09:0000', 'snapshot:2026-03-09']);
      await run(() => storage.removeLegacySnapshot('2026-03-02'));
      await expect(run(() => storage.legacySnapshotWeeks())).resolves.toEqual(['2026-03-09']);
    });

    it('refuse a week that is not a Monday', async () => {
      await expect(run(() => storage.legacySnapshot('2026-03-03'))).rejects.toThrow(TypeError);
      await expect(run(() => storage.removeLegacySnapshot('week 10'))).rejects.toThrow(TypeError);
    });

    it('report a missing part as corrupt rather than returning fewer rows', async () => {
      await keepWeek('2026-03-02', rows(10_000, LONG_KEYS));
      await run(() => kvs.delete('snapshot-rows:2026-03-02:0001'));
      await expect(run(() => storage.legacySnapshot('2026-03-02'))).rejects.toThrow(
        'Tollgate\'s stored value "snapshot-rows:2026-03-02:0001" is unreadable (it is missing)',
      );
    });
  });
});
