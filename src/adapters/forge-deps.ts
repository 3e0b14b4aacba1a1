/**
 * The production wiring: every port over its Forge adapter. Handlers take `deps = forgeDeps()` so tests can pass
 * the sandbox or fakes instead (docs/conventions.md rule 7).
 */
import { type AppDeps } from '../app/deps';
import { type ClockPort } from '../app/ports';
import { createJiraAdapter } from './jira/jira-adapter';
import { createRecomputeQueue } from './queue/recompute-queue';
import { createSqlReadModel } from './sql/sql-read-model';
import { createKvsStorage } from './storage/kvs-storage';

/** Wall-clock time; the only place the app reads the clock. */
export const systemClock: ClockPort = {
  now: () => new Date().toISOString(),
  sleep: (ms) => new Promise((done) => setTimeout(done, ms)),
};

/** Ports over Forge: Jira via @forge/api, storage via @forge/kvs, the queue via @forge/events, the read model via @forge/sql. */
export function forgeDeps(): AppDeps {
  return {
    jira: createJiraAdapter(),
    storage: createKvsStorage(),
    queue: createRecomputeQueue(),
    readModel: createSqlReadModel(),
    clock: systemClock,
  };
}
