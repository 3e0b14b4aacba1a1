import { ForgeKvsAPIError } from '@forge/kvs';
import { UnavailableError } from '../../app/errors';
import { KVS_RETRY_WAITS_MS, pacedKvs } from './paced-kvs';

const limited = (): ForgeKvsAPIError =>
  new ForgeKvsAPIError(
    { status: 429, statusText: 'Too Many Requests', traceId: undefined, responseBodyLength: 0 },
    { code: 'RATE_LIMIT_EXCEEDED', message: 'limit' },
  );

/** A client whose `get` fails `failures` times with 429 and a builder whose request does the same. */
function client(failures: number) {
  let calls = 0;
  const answer = (): Promise<string> => {
    calls += 1;
    return calls <= failures ? Promise.reject(limited()) : Promise.resolve('value');
  };
  return {
    calls: () => calls,
    get: (key: string) => answer().then((v) => `${v}:${key}`),
    query: () => ({ where: () => ({ getMany: answer }) }),
    other: () => {
      calls += 1;
      return Promise.reject(new ForgeKvsAPIError({ status: 400 } as never, { code: 'BAD_REQUEST', message: 'no' }));
    },
  };
}

describe('pacedKvs', () => {
  it('retries a call Forge refused for its rate limit, waiting 1, 2, 4 s, and answers what the retry got', async () => {
    const waits: number[] = [];
    const raw = client(3);
    const kvs = pacedKvs(raw, (ms) => {
      waits.push(ms);
      return Promise.resolve();
    });
    await expect(kvs.get('k')).resolves.toBe('value:k');
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    expect(raw.calls()).toBe(4);
  });

  it('paces the request a builder ends with', async () => {
    const raw = client(1);
    const kvs = pacedKvs(raw, () => Promise.resolve());
    await expect(kvs.query().where().getMany()).resolves.toBe('value');
    expect(raw.calls()).toBe(2);
  });

  it('gives up after the last wait with UNAVAILABLE and a sentence, and never retries other refusals', async () => {
    const raw = client(99);
    const kvs = pacedKvs(raw, () => Promise.resolve());
    const refused = kvs.get('k');
    await expect(refused).rejects.toBeInstanceOf(UnavailableError);
    await expect(refused).rejects.toThrow(/storage is busy/);
    expect(raw.calls()).toBe(KVS_RETRY_WAITS_MS.length + 1);
    const other = client(0);
    await expect(pacedKvs(other, () => Promise.resolve()).other()).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(other.calls()).toBe(1);
  });
});
