/**
 * The Forge Key-Value Store stand-in, behind the same wire protocol @forge/kvs speaks: `POST /api/v1/<operation>` with
 * a JSON body, answered with the status codes and `{code, message}` error bodies the SDK maps to `ForgeKvsAPIError`
 * (node_modules/@forge/kvs/out/storage-api.js `StorageApi.request`, utils/error-handling.js `checkResponseError`).
 * Values and secrets live in two SQLite tables, so secrets never show up in `query` (as on Forge).
 *
 * Sources for each rule: docs/platform.md §3 (240 KiB values, 500-character keys and the key pattern); the SDK's own
 * tests (out/__test__/index.test.js: `KEY_NOT_FOUND`/404 for a missing key, `BAD_REQUEST`/400, batch `failedKeys`);
 * developer.atlassian.com storage-reference/handling-errors-kvs (400 codes `INVALID_KEY`, `KEY_TOO_LONG`, `MAX_SIZE`,
 * `MAX_DEPTH`, `LIST_QUERY_LIMIT_EXCEEDED`, `QUERY_WHERE_*`, `INVALID_FILTER_*`); runtime-reference/storage-api-query
 * (10 results by default, at most 100). The `keyPolicy: 'FAIL_IF_EXISTS'` refusal is 409 `KEY_CONFLICT`: the Forge
 * docs name no code for it, and that is the code a published trial of the live service reports.
 */
import Database from 'better-sqlite3';

/** What a KVS call answers: an HTTP status and, unless 204, a JSON body. */
export interface KvsReply {
  readonly status: number;
  readonly body?: unknown;
}

interface Row {
  key: string;
  value: string;
  created_at: number;
  updated_at: number;
  expire_at: number | null;
}

type Table = 'kvs_values' | 'kvs_secrets';

/** 240 KiB, measured on the value's JSON as stored (docs/platform.md §3). */
export const MAX_VALUE_BYTES = 240 * 1024;
const MAX_KEY_LENGTH = 500;
const MAX_DEPTH = 32;
const DEFAULT_QUERY_LIMIT = 10;
const MAX_QUERY_LIMIT = 100;
const MAX_TRANSACTION_OPS = 25;
// The documented pattern /^(?!\s+$)[a-zA-Z0-9:._\s-#]+$/ reads `\s-#` as whitespace, '-' and '#'; spelt out here.
const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s\-#]+$/;
const TTL_UNITS: Readonly<Record<string, number>> = {
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

/** A refusal in the service's own shape; `reply()` turns it into the HTTP answer the SDK reads. */
class KvsRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  reply(): KvsReply {
    return { status: this.status, body: { code: this.code, message: this.message } };
  }
}

const badRequest = (detail: string): KvsRefusal =>
  new KvsRefusal(400, 'BAD_REQUEST', `Provided request body is invalid: ${detail}`);
const notFound = (): KvsRefusal => new KvsRefusal(404, 'KEY_NOT_FOUND', 'Provided key does not exist');
const unsupported = (what: string): KvsRefusal =>
  new KvsRefusal(501, 'SANDBOX_NOT_SUPPORTED', `${what} is not supported by the sandbox's KVS stand-in`);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireRecord(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw badRequest('expected a JSON object');
  return body;
}

function checkKey(key: unknown): string {
  if (typeof key !== 'string') throw badRequest('"key" must be a string');
  if (key.length === 0)
    throw new KvsRefusal(400, 'KEY_TOO_SHORT', 'The provided key needs to be more than one character.');
  if (key.length > MAX_KEY_LENGTH) {
    throw new KvsRefusal(400, 'KEY_TOO_LONG', 'The provided key has exceeded the maximum 500 characters.');
  }
  if (!KEY_PATTERN.test(key)) {
    throw new KvsRefusal(
      400,
      'INVALID_KEY',
      'The provided key does not match the regex: /^(?!\\s+$)[a-zA-Z0-9:._\\s-#]+$/',
    );
  }
  return key;
}

function depth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (isRecord(value)) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

/** The value as stored: its JSON, after the size and depth checks. */
function checkValue(body: Record<string, unknown>): string {
  if (!('value' in body)) throw badRequest('"value" is required');
  const json = JSON.stringify(body.value);
  if (Buffer.byteLength(json, 'utf8') > MAX_VALUE_BYTES) {
    throw new KvsRefusal(400, 'MAX_SIZE', 'The provided value has exceeded the maximum size limit.');
  }
  if (depth(body.value) > MAX_DEPTH) {
    throw new KvsRefusal(400, 'MAX_DEPTH', 'The provided value has exceeded the maximum object depth (32) limit.');
  }
  return json;
}

function expiry(options: unknown, now: number): number | null {
  if (!isRecord(options) || options.ttl === undefined) return null;
  const ttl = options.ttl;
  if (!isRecord(ttl) || typeof ttl.value !== 'number' || ttl.value <= 0 || typeof ttl.unit !== 'string') {
    throw badRequest('"ttl" must be {value: number > 0, unit}');
  }
  const unit = TTL_UNITS[ttl.unit];
  if (unit === undefined) throw badRequest(`unknown ttl unit "${ttl.unit}"`);
  return now + ttl.value * unit;
}

function metadataFields(options: unknown): ReadonlySet<string> {
  if (!isRecord(options)) return new Set();
  const fields = options.metadataFields ?? options.returnMetadataFields;
  return new Set(Array.isArray(fields) ? fields.filter((f): f is string => typeof f === 'string') : []);
}

/** The shape @forge/kvs reads back (interfaces/kvs-api.d.ts `KeyValueSchema`): timestamps in ms, expiry as ISO. */
function present(row: Row, fields: ReadonlySet<string> | 'all'): Record<string, unknown> {
  const want = (field: string): boolean => fields === 'all' || fields.has(field);
  return {
    key: row.key,
    value: JSON.parse(row.value) as unknown,
    ...(want('CREATED_AT') ? { createdAt: row.created_at } : {}),
    ...(want('UPDATED_AT') ? { updatedAt: row.updated_at } : {}),
    ...(want('EXPIRE_TIME') && row.expire_at !== null ? { expireTime: new Date(row.expire_at).toISOString() } : {}),
  };
}

function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

function decodeCursor(cursor: unknown): string | undefined {
  if (cursor === undefined) return undefined;
  if (typeof cursor !== 'string' || cursor.length === 0) throw badRequest('"after" must be a cursor from a query');
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

/** Forge KVS semantics over SQLite; one instance per runtime, closed with it. */
export class KvsStore {
  private readonly db: Database.Database;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    for (const table of ['kvs_values', 'kvs_secrets']) {
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL, ` +
          'updated_at INTEGER NOT NULL, expire_at INTEGER)',
      );
    }
  }

  /** Serves one SDK request (`/api/v1/...` path, parsed JSON body). */
  handle(path: string, body: unknown): KvsReply {
    try {
      return this.route(path, body);
    } catch (error) {
      if (error instanceof KvsRefusal) return error.reply();
      throw error;
    }
  }

  /** Every live (unexpired) value by key; secrets are left out, as they are from `query`. */
  snapshot(): Record<string, unknown> {
    const rows = this.db.prepare('SELECT * FROM kvs_values ORDER BY key').all() as Row[];
    const now = this.now();
    return Object.fromEntries(
      rows.filter((r) => r.expire_at === null || r.expire_at > now).map((r) => [r.key, JSON.parse(r.value) as unknown]),
    );
  }

  close(): void {
    this.db.close();
  }

  private route(path: string, body: unknown): KvsReply {
    // Paths as StorageApi sends them (node_modules/@forge/kvs/out/storage-api.js).
    switch (path) {
      case '/api/v1/get':
        return this.get('kvs_values', requireRecord(body));
      case '/api/v1/set':
        return this.set('kvs_values', requireRecord(body));
      case '/api/v1/delete':
        return this.delete('kvs_values', requireRecord(body));
      case '/api/v1/query':
        return this.query(requireRecord(body));
      case '/api/v1/secret/get':
        return this.get('kvs_secrets', requireRecord(body));
      case '/api/v1/secret/set':
        return this.set('kvs_secrets', requireRecord(body));
      case '/api/v1/secret/delete':
        return this.delete('kvs_secrets', requireRecord(body));
      case '/api/v1/batch/get':
        return this.batch(body, (item) => this.get('kvs_values', item));
      case '/api/v1/batch/set':
        return this.batch(body, (item) => this.set('kvs_values', item));
      case '/api/v1/batch/delete':
        return this.batch(body, (item) => this.delete('kvs_values', item));
      case '/api/v1/transaction':
        return this.transact(requireRecord(body));
      default:
        if (path.startsWith('/api/v1/entity/')) throw unsupported('The Custom Entity Store');
        return { status: 404, body: { code: 'NOT_FOUND', message: `No KVS operation at ${path}` } };
    }
  }

  private live(table: Table, key: string): Row | undefined {
    const row = this.db.prepare(`SELECT * FROM ${table} WHERE key = ?`).get(key) as Row | undefined;
    if (row && row.expire_at !== null && row.expire_at <= this.now()) {
      // Expired values read as absent, as after Forge's TTL clean-up.
      this.db.prepare(`DELETE FROM ${table} WHERE key = ?`).run(key);
      return undefined;
    }
    return row;
  }

  private get(table: Table, body: Record<string, unknown>): KvsReply {
    if (body.entityName !== undefined) throw unsupported('The Custom Entity Store');
    const row = this.live(table, checkKey(body.key));
    if (!row) throw notFound();
    return { status: 200, body: present(row, 'all') };
  }

  private set(table: Table, body: Record<string, unknown>): KvsReply {
    if (body.entityName !== undefined) throw unsupported('The Custom Entity Store');
    const key = checkKey(body.key);
    const value = checkValue(body);
    const options = body.options;
    const now = this.now();
    const expireAt = expiry(options, now);
    const policy = isRecord(options) ? options.keyPolicy : undefined;
    if (policy !== undefined && policy !== 'OVERRIDE' && policy !== 'FAIL_IF_EXISTS') {
      throw badRequest(`unknown keyPolicy ${JSON.stringify(policy)}`);
    }
    const previous = this.live(table, key);
    if (policy === 'FAIL_IF_EXISTS' && previous) {
      throw new KvsRefusal(409, 'KEY_CONFLICT', `The key "${key}" already exists and keyPolicy is FAIL_IF_EXISTS.`);
    }
    const row: Row = { key, value, created_at: previous?.created_at ?? now, updated_at: now, expire_at: expireAt };
    this.db
      .prepare(
        `INSERT INTO ${table} (key, value, created_at, updated_at, expire_at) VALUES (@key, @value, @created_at, ` +
          '@updated_at, @expire_at) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = ' +
          'excluded.updated_at, expire_at = excluded.expire_at',
      )
      .run(row);
    const returnValue = isRecord(options) ? options.returnValue : undefined;
    // `returnValue` (with OVERRIDE) answers with the previous or the new entry; StorageApi.set reads it only then.
    if (returnValue === 'LATEST') return { status: 200, body: present(row, 'all') };
    if (returnValue === 'PREVIOUS') return previous ? { status: 200, body: present(previous, 'all') } : { status: 204 };
    return { status: 204 };
  }

  private delete(table: Table, body: Record<string, unknown>): KvsReply {
    if (body.entityName !== undefined) throw unsupported('The Custom Entity Store');
    this.db.prepare(`DELETE FROM ${table} WHERE key = ?`).run(checkKey(body.key));
    return { status: 204 };
  }

  private query(body: Record<string, unknown>): KvsReply {
    const limit = body.limit ?? DEFAULT_QUERY_LIMIT;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw badRequest('"limit" must be >= 1');
    if (limit > MAX_QUERY_LIMIT) {
      throw new KvsRefusal(400, 'LIST_QUERY_LIMIT_EXCEEDED', 'Limit for list query should be below 100.');
    }
    let prefix = '';
    if (body.where !== undefined) {
      const where = body.where;
      if (!Array.isArray(where) || where.length !== 1 || !isRecord(where[0])) {
        throw new KvsRefusal(400, 'QUERY_WHERE_INVALID', 'KVS queries should contain only a single "where" clause.');
      }
      const clause = where[0];
      if (clause.property !== 'key') {
        throw new KvsRefusal(400, 'QUERY_WHERE_FIELD_INVALID', 'The specified field is not supported for filters.');
      }
      if (clause.condition !== 'BEGINS_WITH') {
        throw new KvsRefusal(400, 'INVALID_FILTER_CONDITION', 'The specified condition is not supported for filters.');
      }
      const values = clause.values;
      if (!Array.isArray(values) || values.length !== 1 || !['string', 'number'].includes(typeof values[0])) {
        throw new KvsRefusal(
          400,
          'INVALID_FILTER_VALUES',
          'The specified number of values are not supported by the given condition.',
        );
      }
      prefix = String(values[0]);
    }
    const after = decodeCursor(body.after);
    const now = this.now();
    // One more row than asked tells whether a next page exists, so the last page carries no cursor.
    const rows = this.db
      .prepare(
        'SELECT * FROM kvs_values WHERE substr(key, 1, @length) = @prefix AND (@after IS NULL OR key > @after) ' +
          'AND (expire_at IS NULL OR expire_at > @now) ORDER BY key LIMIT @take',
      )
      .all({ length: prefix.length, prefix, after: after ?? null, now, take: limit + 1 }) as Row[];
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const fields = metadataFields(body.options);
    return {
      status: 200,
      body: {
        data: page.map((r) => present(r, fields)),
        ...(rows.length > limit && last ? { cursor: encodeCursor(last.key) } : {}),
      },
    };
  }

  private batch(body: unknown, one: (item: Record<string, unknown>) => KvsReply): KvsReply {
    if (!Array.isArray(body)) throw badRequest('a batch is a JSON array');
    const successfulKeys: unknown[] = [];
    const failedKeys: unknown[] = [];
    for (const item of body) {
      const record = requireRecord(item);
      const key = typeof record.key === 'string' ? record.key : String(record.key);
      try {
        const reply = one(record);
        successfulKeys.push(
          isRecord(reply.body) && 'value' in reply.body && reply.status === 200 ? reply.body : { key },
        );
      } catch (error) {
        if (!(error instanceof KvsRefusal)) throw error;
        // Per-item failures go in failedKeys with the item's own code (SDK test "batchGet ... KEY_NOT_FOUND").
        const message = error.code === 'KEY_NOT_FOUND' ? 'Key does not exist' : error.message;
        failedKeys.push({ key, error: { code: error.code, message } });
      }
    }
    return { status: 200, body: { successfulKeys, failedKeys } };
  }

  private transact(body: Record<string, unknown>): KvsReply {
    const sets: unknown = body.set ?? [];
    const deletes: unknown = body.delete ?? [];
    if (body.check !== undefined) throw unsupported('Transaction checks (Custom Entity Store conditions)');
    if (!Array.isArray(sets) || !Array.isArray(deletes)) throw badRequest('"set" and "delete" must be arrays');
    // Array.isArray narrows to any[]; the elements are checked one by one below.
    const setRecords = (sets as unknown[]).map(requireRecord);
    const deleteRecords = (deletes as unknown[]).map(requireRecord);
    const operations = [...setRecords, ...deleteRecords];
    if (operations.length > MAX_TRANSACTION_OPS) {
      throw badRequest(`a transaction holds at most ${MAX_TRANSACTION_OPS} operations`);
    }
    const keys = new Set<string>();
    for (const op of operations) {
      if (op.entityName !== undefined || op.conditions !== undefined) {
        throw unsupported('Custom Entity Store transactions');
      }
      const key = checkKey(op.key);
      if (keys.has(key)) throw badRequest(`key "${key}" is used more than once in the transaction`);
      keys.add(key);
    }
    for (const op of setRecords) checkValue(op);
    // All or nothing: every operation was validated above, and SQLite applies them in one transaction.
    this.db.transaction(() => {
      for (const op of setRecords) this.set('kvs_values', { key: op.key, value: op.value, options: op.options });
      for (const op of deleteRecords) this.delete('kvs_values', op);
    })();
    return { status: 204 };
  }
}
