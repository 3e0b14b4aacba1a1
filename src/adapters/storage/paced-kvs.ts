/**
 * Forge limits each installation's storage traffic (4,000 read and 4,000 write units of 10 KB a minute, 1,000
 * requests a second; docs/platform.md §3) and answers past them with 429 `RATE_LIMIT_EXCEEDED`, which @forge/kvs
 * throws as a ForgeKvsAPIError. A refused request did nothing, so it is safe to send again: `pacedKvs` wraps the SDK's
 * client (and the query and transaction builders it returns) so that every call waits and retries on that answer, 1,
 * 2, 4 and 8 s apart, before the caller hears Forge storage is busy (UNAVAILABLE, a sentence, not a stack).
 */
import { ForgeKvsAPIError } from '@forge/kvs';
import { UnavailableError } from '../../app/errors';

/** Waits between attempts; 15 s in all, inside a resolver's 25 s. */
export const KVS_RETRY_WAITS_MS: readonly number[] = [1_000, 2_000, 4_000, 8_000];

export function isKvsRateLimited(error: unknown): boolean {
  return (
    error instanceof ForgeKvsAPIError && (error.code === 'RATE_LIMIT_EXCEEDED' || error.responseDetails.status === 429)
  );
}

async function retrying<T>(
  first: Promise<T>,
  again: () => Promise<T>,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  let attempt = first;
  for (let tries = 0; ; tries += 1) {
    try {
      return await attempt;
    } catch (error) {
      const wait = KVS_RETRY_WAITS_MS[tries];
      if (!isKvsRateLimited(error)) throw error;
      if (wait === undefined) {
        throw new UnavailableError(
          'Forge storage is busy: this site has used its storage allowance for the minute. Try again in a minute.',
        );
      }
      await sleep(wait);
      attempt = again();
    }
  }
}

/** The KVS client (or one of its builders) with every asynchronous call paced as described above. */
export function pacedKvs<T extends object>(
  target: T,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const call = (): unknown => (value as (...a: unknown[]) => unknown).apply(object, args);
        const result = call();
        if (result instanceof Promise) return retrying(result, call as () => Promise<unknown>, sleep);
        // Builders (`query()`, `transact()`, their chained methods) hand back objects whose last call is the request.
        return typeof result === 'object' && result !== null ? pacedKvs(result, sleep) : result;
      };
    },
  });
}
