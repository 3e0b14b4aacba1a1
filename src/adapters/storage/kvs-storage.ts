/**
 * StoragePort over the Forge Key-Value Store (@forge/kvs): the app's own data, which users cannot write
 * (docs/architecture.md §3). Every key is derived here from validated ids, never taken from a client
 * (docs/conventions.md rule 10). Layout:
 *
 * | key                                      | value                                 | written with                |
 * |------------------------------------------|---------------------------------------|-----------------------------|
 * | `settings:v{n}`                          | settings document of version n        | FAIL_IF_EXISTS (the claim)  |
 * | `settings`                               | copy of the newest version (a hint)   | overwrite                   |
 * | `ledger:{issueId}:{rev, 9 digits}`       | LedgerEntry                           | FAIL_IF_EXISTS; `committed` |
 * | `snapshot:{week}`                        | `{schema, week, parts, count}`        | (legacy: moved to Forge SQL)|
 * | `snapshot-rows:{week}:{part, 4 digits}`  | `{week, part, rows: [[key, rag], …]}` | (legacy: moved to Forge SQL)|
 * | secret `tollgate-signing-key`            | 32 random bytes, hex                  | FAIL_IF_EXISTS              |
 * | `points:{hour}:{accountId}`              | Jira quota points the person's reads spent that hour | read, add, set; TTL 2 h |
 * | `points:{hour}:tollgate:background`      | points the app's paced full reads claimed that hour  | read, add, set; TTL 2 h |
 * | `points:{hour}:tollgate:background:m{mm}` | …and in minute mm of it                            | read, add, set; TTL 2 h |
 *
 * KVS has no compare-and-set on a value, only `keyPolicy: 'FAIL_IF_EXISTS'` on a key. So every place where two writers
 * must not both win (a settings version, a ledger revision, the signing key) is a key that only one `set` can create.
 * Reads are validated with zod; a corrupt value is a CorruptStorageError, except settings, which fall back to defaults
 * so the admin page still opens to repair them.
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic-api/
 */
import { randomBytes } from 'node:crypto';
import { getAppContext } from '@forge/api';
import { ForgeKvsAPIError, kvs as forgeKvs, WhereConditions } from '@forge/kvs';
import { z } from 'zod';
import { TollgateError } from '../../app/errors';
import { type LedgerEntry, type SigningKey, type StoragePort } from '../../app/ports';
import { DEFAULT_SETTINGS, type Settings, settingsSchema } from '../../domain/settings';
import { instantSchema, isoDateSchema } from '../../domain/time';
import { pacedKvs } from './paced-kvs';

/** Every storage call waits and retries when Forge's per-installation limits refuse it (paced-kvs.ts). */
const kvs = pacedKvs(forgeKvs);

/** A stored value did not have the shape this version of the app wrote; nothing was guessed or overwritten. */
export class CorruptStorageError extends TollgateError {
  constructor(
    readonly key: string,
    problem: string,
  ) {
    super('INTERNAL', `Tollgate's stored value "${key}" is unreadable (${problem}). Nothing was changed.`);
  }
}

/** A snapshot's rows: each project's RAG and, from weeks stored since it was kept, its worst open risk's band. */
type SnapshotRows = ReadonlyArray<{ readonly key: string; readonly rag: string; readonly risk?: string }>;

/** `query().limit()` accepts at most 100 (runtime-reference/storage-api-query: "up to a maximum of 100"). */
const QUERY_PAGE = 100;
/** Ledger revisions are zero-padded to this many digits so the keys' lexical order (KVS query order) is numeric. */
const REV_DIGITS = 9;
const MAX_REV = 10 ** REV_DIGITS - 1;
const SIGNING_KEY_SECRET = 'tollgate-signing-key';
/**
 * The parts a week's snapshot was written in, when versions before 1.1 kept the weekly snapshots here (one KVS
 * transaction of a header and ≤ 16 parts of ≤ 200 KiB). They are read once more, to be moved to Forge SQL, and removed.
 */
const MAX_SNAPSHOT_PARTS = 16;

/** Jira issue ids are numeric; refusing anything else keeps a key or a `:` from reaching a storage key. */
const issueIdSchema = z.string().regex(/^\d{1,18}$/, 'a numeric Jira issue id');
const revSchema = z.number().int().min(1).max(MAX_REV);
const signingKeySchema = z.string().regex(/^[0-9a-f]{64}$/, '64 hex digits');
const mondaySchema = isoDateSchema.refine(
  (day) => new Date(`${day}T00:00:00Z`).getUTCDay() === 1,
  'the Monday of an ISO week',
);

const ledgerEntrySchema = z.object({
  issueId: issueIdSchema,
  rev: revSchema,
  op: z.json(),
  by: z.string().min(1),
  at: instantSchema,
  sig: z.string().min(1),
  committed: z.boolean().optional(),
  stalled: z.boolean().optional(),
});

/** Only the version, so a settings document that fails the full schema still says which version it holds. */
const versionOnlySchema = z.object({ version: z.number().int().min(0) });

const snapshotRowSchema = z.object({
  key: z.string().min(1).max(255),
  rag: z.string().min(1).max(32),
  risk: z.string().min(1).max(32).optional(),
});
const snapshotHeaderSchema = z.object({
  schema: z.literal(1),
  week: mondaySchema,
  parts: z.number().int().min(0).max(MAX_SNAPSHOT_PARTS),
  count: z.number().int().min(0),
});
const snapshotPartSchema = z.object({
  week: mondaySchema,
  part: z.number().int().min(0),
  // [key, rag] in weeks stored before risk bands were kept, [key, rag, risk] since.
  rows: z.array(
    z.union([
      z.tuple([snapshotRowSchema.shape.key, snapshotRowSchema.shape.rag]),
      z.tuple([snapshotRowSchema.shape.key, snapshotRowSchema.shape.rag, z.string().min(1).max(32)]),
    ]),
  ),
});
type SnapshotHeader = z.infer<typeof snapshotHeaderSchema>;

const settingsKey = (version: number): string => `settings:v${version}`;
const ledgerPrefix = (issueId: string): string => `ledger:${issueId}:`;
const ledgerKey = (issueId: string, rev: number): string =>
  `${ledgerPrefix(issueId)}${String(rev).padStart(REV_DIGITS, '0')}`;
const SNAPSHOT_PREFIX = 'snapshot:';
const snapshotKey = (week: string): string => `${SNAPSHOT_PREFIX}${week}`;
/** One key per person and hour; KVS expires it (TTL) once the hour is over, so nothing needs cleaning up. */
const pointsKey = (hour: string, accountId: string): string => `points:${hour}:${accountId}`;
const POINTS_TTL = { value: 2, unit: 'HOURS' } as const;
const accountIdSchema = z.string().regex(/^[A-Za-z0-9:_-]{1,128}$/, 'an Atlassian account id');
const hourSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/, 'an hour, YYYY-MM-DDTHH');
const pointsSchema = z.number().int().min(0);
// A prefix that `snapshot:` does not match, so listing the weeks never reads their rows.
const snapshotPartKey = (week: string, part: number): string =>
  `snapshot-rows:${week}:${String(part).padStart(4, '0')}`;

/**
 * Whether a `set` with `keyPolicy: 'FAIL_IF_EXISTS'` was refused because the key exists. The SDK has no error class
 * of its own for it: every non-2xx answer becomes a ForgeKvsAPIError carrying the HTTP status and the service's
 * `{code}` (@forge/kvs out/utils/error-handling.js `checkResponseError`, out/errors.d.ts `ForgeKvsAPIError`). Forge's
 * docs name no code for this refusal; what the live service is reported to send, and the sandbox sends
 * (sandbox/forge/kvs-store.ts), is 409 `KEY_CONFLICT`. Either one identifies it; anything else is rethrown.
 */
function isKeyConflict(error: unknown): boolean {
  return error instanceof ForgeKvsAPIError && (error.responseDetails.status === 409 || error.code === 'KEY_CONFLICT');
}

/** Creates `key` with `value` unless it exists; false when another writer created it first. */
async function createOnce(key: string, value: unknown, secret = false): Promise<boolean> {
  try {
    if (secret) await kvs.setSecret(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
    else await kvs.set(key, value, { keyPolicy: 'FAIL_IF_EXISTS' });
    return true;
  } catch (error) {
    if (isKeyConflict(error)) return false;
    throw error;
  }
}

/** The validated key of what the person's reads spent in `hour`. */
function pointsKeyOf(accountId: string, hour: string): string {
  return pointsKey(forWrite(hourSchema, hour, 'Hour'), forWrite(accountIdSchema, accountId, 'Account id'));
}

/** What the person's reads spent in `hour`; 0 when nothing is stored, or a damaged value. */
async function pointsSpentIn(accountId: string, hour: string): Promise<number> {
  const stored = pointsSchema.safeParse(await kvs.get(pointsKeyOf(accountId, hour)));
  return stored.success ? stored.data : 0;
}

/** Validates what the app is about to store, so it never writes a value it would refuse to read back. */
function forWrite<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new TypeError(`${what} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function read<T>(schema: z.ZodType<T>, key: string, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CorruptStorageError(key, z.prettifyError(parsed.error).replace(/\s+/g, ' '));
  return parsed.data;
}

/** Every `{key, value}` whose key starts with `prefix`, in key order; one query per 100 values. */
async function queryAll(prefix: string): Promise<Array<{ readonly key: string; readonly value: unknown }>> {
  const all: Array<{ readonly key: string; readonly value: unknown }> = [];
  let cursor: string | undefined;
  do {
    const query = kvs.query().where('key', WhereConditions.beginsWith(prefix)).limit(QUERY_PAGE);
    const page = await (cursor === undefined ? query : query.cursor(cursor)).getMany<unknown>();
    all.push(...page.results);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return all;
}

/** The newest settings version and its raw document, `undefined` before the first save. */
async function currentSettings(): Promise<{ readonly version: number; readonly raw: unknown }> {
  const pointer: unknown = await kvs.get('settings');
  const pointed = versionOnlySchema.safeParse(pointer);
  let version = pointed.success ? pointed.data.version : 0;
  let raw = pointed.success ? pointer : undefined;
  // The pointer is written after the version's claim, so it can lag: after a crash between the two writes, or when
  // two saves' pointer writes land out of order. The claims are the truth; walk forward to the newest one.
  for (;;) {
    const next: unknown = await kvs.get(settingsKey(version + 1));
    if (next === undefined) return { version, raw };
    version += 1;
    raw = next;
  }
}

/** Ledger entries of one issue in revision order: paged query, then direct reads past the last one found. */
async function ledgerEntries(issueId: string): Promise<LedgerEntry[]> {
  const entries = (await queryAll(ledgerPrefix(issueId))).map(({ key, value }) => ledgerEntry(issueId, key, value));
  // The query answers from an index; a get by key does not depend on it. Checking the next slot directly means an
  // entry claimed a moment ago is never missed, which would make a writer's head stale and its claim fail again.
  for (let rev = (entries.at(-1)?.rev ?? 0) + 1; rev <= MAX_REV; rev += 1) {
    const key = ledgerKey(issueId, rev);
    const value: unknown = await kvs.get(key);
    if (value === undefined) break;
    entries.push(ledgerEntry(issueId, key, value));
  }
  return entries;
}

/** Read-modify-write of one claimed ledger entry; `change` answers null when there is nothing to write. */
async function updateLedgerEntry(
  issueId: string,
  rev: number,
  change: (entry: LedgerEntry) => LedgerEntry | null,
): Promise<void> {
  const key = ledgerKey(forWrite(issueIdSchema, issueId, 'Issue id'), forWrite(revSchema, rev, 'Ledger revision'));
  const stored: unknown = await kvs.get(key);
  if (stored === undefined)
    throw new TollgateError('INTERNAL', `Ledger slot ${rev} of issue ${issueId} was never claimed.`);
  const changed = change(ledgerEntry(issueId, key, stored));
  if (changed) await kvs.set(key, changed);
}

function ledgerEntry(issueId: string, key: string, value: unknown): LedgerEntry {
  const entry = read(ledgerEntrySchema, key, value);
  if (entry.issueId !== issueId || ledgerKey(issueId, entry.rev) !== key) {
    throw new CorruptStorageError(key, `it holds revision ${entry.rev} of issue ${entry.issueId}`);
  }
  return entry;
}

function snapshotHeader(key: string, value: unknown): SnapshotHeader {
  const header = read(snapshotHeaderSchema, key, value);
  if (snapshotKey(header.week) !== key) throw new CorruptStorageError(key, `it holds the week ${header.week}`);
  return header;
}

async function readSnapshot(header: SnapshotHeader): Promise<SnapshotRows> {
  const parts = await Promise.all(
    Array.from({ length: header.parts }, async (_, part) => {
      const key = snapshotPartKey(header.week, part);
      const stored: unknown = await kvs.get(key);
      if (stored === undefined) throw new CorruptStorageError(key, 'it is missing');
      const value = read(snapshotPartSchema, key, stored);
      if (value.week !== header.week || value.part !== part) {
        throw new CorruptStorageError(key, `it holds part ${value.part} of ${value.week}`);
      }
      return value.rows;
    }),
  );
  const rows = parts.flat().map(([key, rag, risk]) => (risk === undefined ? { key, rag } : { key, rag, risk }));
  if (rows.length !== header.count) {
    throw new CorruptStorageError(snapshotKey(header.week), `${rows.length} rows stored, ${header.count} recorded`);
  }
  return rows;
}

/**
 * The installation signatures are bound to, besides the issue (signing.ts): the installation ARI Forge gives this
 * invocation. Not `installContext`, which names the product's site (`ari:cloud:jira::site/…` in Jira,
 * `ari:cloud:confluence::site/…` in the macro) and so differs between the modules that sign and the macro that
 * verifies; the installation is one for the app on the site, as its KVS (and so its secret) is.
 * @throws {Error} outside a Forge invocation, or when Forge names no installation.
 */
function currentInstallation(): string {
  const ari = getAppContext().installationAri;
  // The ARI prints its id even when there is none ("…/installation/undefined"), so the id itself is checked.
  if (typeof ari.installationId !== 'string' || !/^[\w-]+$/.test(ari.installationId)) {
    throw new Error('Forge named no installation for this invocation; Tollgate cannot sign or verify without one.');
  }
  return ari.toString();
}

/**
 * The app's storage over Forge KVS. Holds no state but the signing key once read (it never changes), so one instance
 * may serve a whole invocation or a warm container — of one installation: the key and the installation it is bound
 * to are read together (forgeDeps makes a new instance per invocation).
 * @see https://developer.atlassian.com/platform/forge/runtime-reference/storage-api-basic-api/
 * @throws nothing itself; its methods throw as documented on StoragePort and below.
 */
export function createKvsStorage(): StoragePort {
  let signingKey: Promise<SigningKey> | undefined;

  return {
    /**
     * The newest settings, parsed with settingsSchema so fields added since they were saved get their defaults.
     * Never saved: DEFAULT_SETTINGS (version 0). Unreadable: DEFAULT_SETTINGS with the stored version and a logged
     * warning, so every surface keeps working (supportive mode, never blocking) and the admin can save over them.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async loadSettings(): Promise<Settings> {
      const { version, raw } = await currentSettings();
      if (raw === undefined) return DEFAULT_SETTINGS;
      const parsed = settingsSchema.safeParse(raw);
      if (parsed.success && parsed.data.version === version) return parsed.data;
      const problem = parsed.success
        ? `it says version ${parsed.data.version}`
        : z.prettifyError(parsed.error).replace(/\s+/g, ' ');
      console.warn(`Tollgate: stored settings version ${version} are unreadable (${problem}); using the defaults.`);
      return { ...DEFAULT_SETTINGS, version };
    },

    /**
     * Saves `settings` as version `expectedVersion + 1` if `expectedVersion` is the newest. Creating the key
     * `settings:v{n+1}` with FAIL_IF_EXISTS is the serialisation point: of two admins saving over the same version,
     * exactly one creates it, whatever the timing, which a re-read-then-write could not promise.
     * @throws {TypeError} when the settings fail settingsSchema or the version is not a whole number ≥ 0.
     * @throws {ForgeKvsAPIError} when KVS fails (including MAX_SIZE over 240 KiB).
     */
    async saveSettings(settings: Settings, expectedVersion: number): Promise<boolean> {
      forWrite(versionOnlySchema, { version: expectedVersion }, 'expectedVersion');
      const document = forWrite(settingsSchema, { ...settings, version: expectedVersion + 1 }, 'Settings');
      const { version } = await currentSettings();
      if (version !== expectedVersion) return false;
      if (!(await createOnce(settingsKey(document.version), document))) return false;
      // Only a hint for the next read; a lost or late write here is corrected by currentSettings walking forward.
      await kvs.set('settings', document);
      return true;
    },

    /**
     * Claims `ledger:{issueId}:{rev}`; false when it exists (another op took this revision).
     * @throws {TypeError} when the entry is malformed (non-numeric issue id, rev outside 1…999,999,999).
     * @throws {ForgeKvsAPIError} on any other KVS refusal, e.g. MAX_SIZE for an op over 240 KiB.
     */
    async claimLedger(entry: LedgerEntry): Promise<boolean> {
      const valid = forWrite(ledgerEntrySchema, entry, 'Ledger entry');
      return createOnce(ledgerKey(valid.issueId, valid.rev), valid);
    },

    /**
     * Sets `committed` on the issue's ledger entry `rev`. Read-modify-write is safe here without a CAS: only the op
     * that claimed the slot (or a restore of it) marks it, and marking twice writes the same value.
     * @throws {TypeError} when the issue id is not numeric or rev is outside 1…999,999,999.
     * @throws {TollgateError} INTERNAL when the slot was never claimed; {CorruptStorageError} when it is malformed.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async markCommitted(issueId: string, rev: number): Promise<void> {
      await updateLedgerEntry(issueId, rev, (entry) =>
        entry.committed === true ? null : { ...entry, committed: true },
      );
    },

    /**
     * Sets `stalled` on the issue's ledger entry `rev`, unless it is committed already (the documents did land, so
     * there is nothing for readers to finish). Only the op that claimed the slot marks it stalled.
     * @throws {TypeError} when the issue id is not numeric or rev is outside 1…999,999,999.
     * @throws {TollgateError} INTERNAL when the slot was never claimed; {CorruptStorageError} when it is malformed.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async markStalled(issueId: string, rev: number): Promise<void> {
      await updateLedgerEntry(issueId, rev, (entry) =>
        entry.committed === true || entry.stalled === true ? null : { ...entry, stalled: true },
      );
    },

    /**
     * Entries of an issue from `fromRev`, in revision order. Costs ⌈n/100⌉ queries + 1 get for n entries in all:
     * KVS queries only ascend from the start of a prefix, so earlier entries are read and dropped.
     * @throws {TypeError} when the issue id is not numeric.
     * @throws {CorruptStorageError} when a stored entry is malformed or sits under the wrong key.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async ledger(issueId: string, fromRev = 1): Promise<readonly LedgerEntry[]> {
      const id = forWrite(issueIdSchema, issueId, 'Issue id');
      return (await ledgerEntries(id)).filter((entry) => entry.rev >= fromRev);
    },

    /**
     * The highest claimed revision, 0 when none. KVS queries have no descending sort (@forge/kvs QueryBuilder offers
     * only where/cursor/limit), so this pages through the issue's ledger: ⌈n/100⌉ queries + 1 get, i.e. one query
     * up to 100 ops on the issue. The claim stays the safeguard: a stale head only makes the claim fail and retry.
     * @throws {TypeError} when the issue id is not numeric.
     * @throws {CorruptStorageError} when a stored entry is malformed.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async ledgerHead(issueId: string): Promise<number> {
      const id = forWrite(issueIdSchema, issueId, 'Issue id');
      return (await ledgerEntries(id)).at(-1)?.rev ?? 0;
    },

    /**
     * The HMAC key, created on first use as 32 random bytes (hex) in a KVS secret, with the installation it belongs
     * to. Of concurrent first uses exactly one creation wins (FAIL_IF_EXISTS); the others read the winner's key. An
     * unreadable stored key is an error, never replaced: a new key would make every signed document look tampered.
     * @throws {CorruptStorageError} when the stored secret is not 64 hex digits.
     * @throws {ForgeKvsAPIError} when KVS fails.
     * @throws {Error} outside a Forge invocation (no installation to bind signatures to).
     */
    signingKey(): Promise<SigningKey> {
      signingKey ??= (async () => {
        const installation = currentInstallation();
        const stored: unknown = await kvs.getSecret(SIGNING_KEY_SECRET);
        if (stored !== undefined) return { secret: read(signingKeySchema, SIGNING_KEY_SECRET, stored), installation };
        const fresh = randomBytes(32).toString('hex');
        if (await createOnce(SIGNING_KEY_SECRET, fresh, true)) return { secret: fresh, installation };
        const winner = read(signingKeySchema, SIGNING_KEY_SECRET, await kvs.getSecret(SIGNING_KEY_SECRET));
        return { secret: winner, installation };
      })().catch((error: unknown) => {
        // Not cached: a failed read (KVS briefly down) must not poison every later call of this instance.
        signingKey = undefined;
        throw error;
      });
      return signingKey;
    },

    /**
     * What the person's reads spent this hour. A damaged value counts as nothing spent: the allowance protects the
     * app's quota, and a person must not be locked out by a bad value.
     * @throws {TypeError} when the account id or the hour is malformed.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    pointsSpent(accountId: string, hour: string): Promise<number> {
      return pointsSpentIn(accountId, hour);
    },

    /**
     * Adds to what the person's reads spent this hour: read, add, set. Two reads of the same person ending together
     * may count once between them; the allowance is a guard against one person's page spending the app's hour, not
     * a bill, so that is the price of not taking a lock for every page view.
     * @throws {TypeError} when the account id, the hour or the points are malformed.
     * @throws {ForgeKvsAPIError} when KVS fails.
     */
    async spendPoints(accountId: string, hour: string, points: number): Promise<void> {
      const spent = forWrite(z.number().int().min(0), points, 'Points');
      const already = await pointsSpentIn(accountId, hour);
      await kvs.set(pointsKeyOf(accountId, hour), already + spent, { ttl: POINTS_TTL });
    },

    /**
     * The weeks an earlier version kept here, oldest first (⌈weeks/100⌉ queries of the small headers).
     * @throws {CorruptStorageError} when a header is malformed. @throws {ForgeKvsAPIError} when KVS fails.
     */
    async legacySnapshotWeeks(): Promise<readonly string[]> {
      // ISO dates compare as strings; the query returns them in key (= date) order.
      return (await queryAll(SNAPSHOT_PREFIX)).map(({ key, value }) => snapshotHeader(key, value).week);
    },

    /**
     * One week an earlier version kept here; undefined when there is none.
     * @throws {TypeError} when `week` is not a Monday. @throws {CorruptStorageError} when a header or part is
     *   malformed or a part is missing. @throws {ForgeKvsAPIError} when KVS fails.
     */
    async legacySnapshot(week: string) {
      const key = snapshotKey(forWrite(mondaySchema, week, 'Snapshot week'));
      const stored: unknown = await kvs.get(key);
      return stored === undefined ? undefined : readSnapshot(snapshotHeader(key, stored));
    },

    /**
     * Removes a week an earlier version kept here, header and parts in one transaction.
     * @throws {TypeError} when `week` is not a Monday. @throws {ForgeKvsAPIError} when KVS fails.
     */
    async removeLegacySnapshot(week: string): Promise<void> {
      const monday = forWrite(mondaySchema, week, 'Snapshot week');
      const key = snapshotKey(monday);
      const stored: unknown = await kvs.get(key);
      if (stored === undefined) return;
      const parts = read(snapshotHeaderSchema, key, stored).parts;
      const transaction = kvs.transact();
      for (let part = 0; part < parts; part += 1) transaction.delete(snapshotPartKey(monday, part));
      transaction.delete(key);
      await transaction.execute();
    },
  };
}
