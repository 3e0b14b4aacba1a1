import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KvsStore, MAX_VALUE_BYTES } from './kvs-store';

describe('KvsStore (the wire protocol @forge/kvs speaks)', () => {
  let now = 1_700_000_000_000;
  let store: KvsStore;

  beforeEach(() => {
    now = 1_700_000_000_000;
    store = new KvsStore(':memory:', () => now);
  });
  afterEach(() => store.close());

  describe('get, set, delete', () => {
    it('answers a missing key with 404 KEY_NOT_FOUND, which StorageApi turns into undefined', () => {
      expect(store.handle('/api/v1/get', { key: 'nope' })).toEqual({
        status: 404,
        body: { code: 'KEY_NOT_FOUND', message: 'Provided key does not exist' },
      });
    });

    it('stores JSON values and reads them back with their timestamps', () => {
      expect(store.handle('/api/v1/set', { key: 'a', value: { n: 1 } })).toEqual({ status: 204 });
      now += 5;
      store.handle('/api/v1/set', { key: 'a', value: { n: 2 } });
      expect(store.handle('/api/v1/get', { key: 'a' })).toEqual({
        status: 200,
        body: { key: 'a', value: { n: 2 }, createdAt: 1_700_000_000_000, updatedAt: 1_700_000_000_005 },
      });
      expect(store.handle('/api/v1/delete', { key: 'a' })).toEqual({ status: 204 });
      expect(store.handle('/api/v1/get', { key: 'a' }).status).toBe(404);
    });

    it('refuses FAIL_IF_EXISTS on a live key with 409 KEY_CONFLICT and leaves the value alone', () => {
      store.handle('/api/v1/set', { key: 'lock', value: 1, options: { keyPolicy: 'FAIL_IF_EXISTS' } });
      const second = store.handle('/api/v1/set', { key: 'lock', value: 2, options: { keyPolicy: 'FAIL_IF_EXISTS' } });
      expect(second).toEqual({ status: 409, body: { code: 'KEY_CONFLICT', message: expect.stringContaining('lock') } });
      expect(store.snapshot()).toEqual({ lock: 1 });
    });

    it('lets FAIL_IF_EXISTS win again once the previous value has expired', () => {
      store.handle('/api/v1/set', { key: 'lease', value: 1, options: { ttl: { value: 10, unit: 'SECONDS' } } });
      now += 10_000;
      const again = store.handle('/api/v1/set', { key: 'lease', value: 2, options: { keyPolicy: 'FAIL_IF_EXISTS' } });
      expect(again.status).toBe(204);
    });

    it('answers returnValue PREVIOUS and LATEST with the entry StorageApi.set hands back', () => {
      store.handle('/api/v1/set', { key: 'k', value: 'old' });
      const previous = store.handle('/api/v1/set', {
        key: 'k',
        value: 'new',
        options: { keyPolicy: 'OVERRIDE', returnValue: 'PREVIOUS' },
      });
      expect(previous.body).toMatchObject({ key: 'k', value: 'old' });
      const latest = store.handle('/api/v1/set', {
        key: 'k',
        value: 'newer',
        options: { keyPolicy: 'OVERRIDE', returnValue: 'LATEST' },
      });
      expect(latest.body).toMatchObject({ key: 'k', value: 'newer' });
    });

    it('expires values after their ttl and reports expireTime as ISO', () => {
      store.handle('/api/v1/set', { key: 't', value: true, options: { ttl: { value: 1, unit: 'MINUTES' } } });
      expect(store.handle('/api/v1/get', { key: 't' }).body).toMatchObject({
        expireTime: new Date(now + 60_000).toISOString(),
      });
      now += 60_000;
      expect(store.handle('/api/v1/get', { key: 't' }).status).toBe(404);
    });
  });

  describe('limits', () => {
    it('accepts a value of exactly 240 KiB of JSON and refuses one byte more with 400 MAX_SIZE', () => {
      const fits = 'x'.repeat(MAX_VALUE_BYTES - 2); // the two quotes make it exactly 240 KiB
      expect(store.handle('/api/v1/set', { key: 'big', value: fits }).status).toBe(204);
      expect(store.handle('/api/v1/set', { key: 'big', value: `${fits}x` })).toEqual({
        status: 400,
        body: { code: 'MAX_SIZE', message: 'The provided value has exceeded the maximum size limit.' },
      });
    });

    it('refuses values nested deeper than 32 levels with MAX_DEPTH', () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < 33; i += 1) deep = { d: deep };
      expect(store.handle('/api/v1/set', { key: 'deep', value: deep }).body).toMatchObject({ code: 'MAX_DEPTH' });
    });

    it.each([
      ['an empty key', 'KEY_TOO_SHORT', ''],
      ['a key of 501 characters', 'KEY_TOO_LONG', 'k'.repeat(501)],
      ['a key with a slash', 'INVALID_KEY', 'has/slash'],
      ['a key of only spaces', 'INVALID_KEY', '   '],
    ])('refuses %s with %s', (_label, code, key) => {
      expect(store.handle('/api/v1/set', { key, value: 1 })).toMatchObject({ status: 400, body: { code } });
    });

    it('accepts every character class the documented pattern allows', () => {
      expect(store.handle('/api/v1/set', { key: 'ledger:PMO-1:rev 2.v_3#x', value: 1 }).status).toBe(204);
    });
  });

  describe('query', () => {
    beforeEach(() => {
      for (const key of ['a:1', 'a:2', 'a:3', 'a:4', 'a:5', 'b:1']) store.handle('/api/v1/set', { key, value: key });
    });

    it('pages a key prefix in key order with a cursor, and the last page carries none', () => {
      const where = [{ property: 'key', condition: 'BEGINS_WITH', values: ['a:'] }];
      const pages: string[][] = [];
      let after: string | undefined;
      do {
        const reply = store.handle('/api/v1/query', { limit: 2, where, ...(after ? { after } : {}) });
        const body = reply.body as { data: Array<{ key: string }>; cursor?: string };
        pages.push(body.data.map((d) => d.key));
        after = body.cursor;
      } while (after);
      expect(pages).toEqual([['a:1', 'a:2'], ['a:3', 'a:4'], ['a:5']]);
    });

    it('returns 10 results by default and refuses a limit above 100', () => {
      const all = store.handle('/api/v1/query', {}).body as { data: unknown[] };
      expect(all.data).toHaveLength(6);
      expect(store.handle('/api/v1/query', { limit: 101 }).body).toMatchObject({ code: 'LIST_QUERY_LIMIT_EXCEEDED' });
    });

    it('returns metadata only when asked for it', () => {
      const where = [{ property: 'key', condition: 'BEGINS_WITH', values: ['b:'] }];
      expect(store.handle('/api/v1/query', { where }).body).toEqual({ data: [{ key: 'b:1', value: 'b:1' }] });
      expect(store.handle('/api/v1/query', { where, options: { metadataFields: ['CREATED_AT'] } }).body).toEqual({
        data: [{ key: 'b:1', value: 'b:1', createdAt: now }],
      });
    });

    it('refuses the where clauses the service refuses', () => {
      const clause = { property: 'key', condition: 'BEGINS_WITH', values: ['a'] };
      expect(store.handle('/api/v1/query', { where: [clause, clause] }).body).toMatchObject({
        code: 'QUERY_WHERE_INVALID',
      });
      expect(store.handle('/api/v1/query', { where: [{ ...clause, property: 'value' }] }).body).toMatchObject({
        code: 'QUERY_WHERE_FIELD_INVALID',
      });
      expect(store.handle('/api/v1/query', { where: [{ ...clause, condition: 'CONTAINS' }] }).body).toMatchObject({
        code: 'INVALID_FILTER_CONDITION',
      });
    });
  });

  describe('secrets', () => {
    it('keeps secrets apart: not readable with get, not listed by query, not in the snapshot', () => {
      store.handle('/api/v1/secret/set', { key: 'token', value: 's3cr3t' });
      expect(store.handle('/api/v1/secret/get', { key: 'token' }).body).toMatchObject({ value: 's3cr3t' });
      expect(store.handle('/api/v1/get', { key: 'token' }).status).toBe(404);
      expect(store.handle('/api/v1/query', {}).body).toEqual({ data: [] });
      expect(store.snapshot()).toEqual({});
      store.handle('/api/v1/secret/delete', { key: 'token' });
      expect(store.handle('/api/v1/secret/get', { key: 'token' }).status).toBe(404);
    });
  });

  describe('batches and transactions', () => {
    it('reports per-key outcomes for a batch, as StorageApi.batchGet expects', () => {
      store.handle('/api/v1/set', { key: 'x', value: 1 });
      expect(store.handle('/api/v1/batch/get', [{ key: 'x' }, { key: 'y' }]).body).toEqual({
        successfulKeys: [expect.objectContaining({ key: 'x', value: 1 })],
        failedKeys: [{ key: 'y', error: { code: 'KEY_NOT_FOUND', message: 'Key does not exist' } }],
      });
      expect(
        store.handle('/api/v1/batch/set', [
          { key: 'ok', value: 1 },
          { key: 'bad/key', value: 2 },
        ]).body,
      ).toEqual({
        successfulKeys: [{ key: 'ok' }],
        failedKeys: [{ key: 'bad/key', error: expect.objectContaining({ code: 'INVALID_KEY' }) }],
      });
    });

    it('applies a transaction all or nothing', () => {
      store.handle('/api/v1/set', { key: 'gone', value: 1 });
      const refused = store.handle('/api/v1/transaction', {
        set: [
          { key: 'one', value: 1 },
          { key: 'two', value: 'x'.repeat(MAX_VALUE_BYTES) },
        ],
        delete: [{ key: 'gone' }],
      });
      expect(refused.body).toMatchObject({ code: 'MAX_SIZE' });
      expect(store.snapshot()).toEqual({ gone: 1 });
      const applied = store.handle('/api/v1/transaction', {
        set: [{ key: 'one', value: 1 }],
        delete: [{ key: 'gone' }],
      });
      expect(applied.status).toBe(204);
      expect(store.snapshot()).toEqual({ one: 1 });
    });

    it('refuses a key used twice in one transaction', () => {
      const reply = store.handle('/api/v1/transaction', { set: [{ key: 'k', value: 1 }], delete: [{ key: 'k' }] });
      expect(reply).toMatchObject({ status: 400, body: { code: 'BAD_REQUEST' } });
    });

    it('says plainly that the Custom Entity Store is not emulated', () => {
      expect(store.handle('/api/v1/entity/get', { entityName: 'e', key: 'k' })).toMatchObject({
        status: 501,
        body: { code: 'SANDBOX_NOT_SUPPORTED' },
      });
    });
  });

  it('keeps values in the SQLite file across reopening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kvs-store-'));
    try {
      const file = join(dir, 'kvs.sqlite');
      const first = new KvsStore(file);
      first.handle('/api/v1/set', { key: 'kept', value: { ok: true } });
      first.handle('/api/v1/secret/set', { key: 'kept', value: 'secret' });
      first.close();
      const second = new KvsStore(file);
      expect(second.snapshot()).toEqual({ kept: { ok: true } });
      expect(second.handle('/api/v1/secret/get', { key: 'kept' }).body).toMatchObject({ value: 'secret' });
      second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
