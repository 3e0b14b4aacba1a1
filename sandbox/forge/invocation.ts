/**
 * Running SDK-calling code "inside an invocation" in tests. Code that calls @forge/api directly (an adapter rather
 * than a manifest function) needs what Forge gives every function it runs: an invoking user for `asUser()`, an app
 * context, a time limit. `runInInvocation` opens such a scope on a runtime from `createForgeRuntime`, and
 * `startBareRuntime` makes a runtime for an app with no modules at all, for tests that need only the SDK seams
 * (`requestJira`, KVS) and not Tollgate's own manifest, whose functions may not exist yet or may do work of their own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JiraEmulator } from '../jira/types';
import { createForgeRuntime, runInInvocationScope } from './runtime';
import type { ForgeRuntime } from './types';

/** Forge's limit for UI, trigger and validator functions, which adapters must fit in. */
const DEFAULT_LIMIT_SECONDS = 25;
const BARE_APP_ID = 'ari:cloud:ecosystem::app/7e1b7c52-3f0a-4d8e-a3c6-0b9d2f4e6a18';
/** The scopes Tollgate's adapters need: Jira read/write, users and groups, app storage. */
const BARE_SCOPES: readonly string[] = ['read:jira-work', 'write:jira-work', 'read:jira-user', 'storage:app'];

/** Who the scope runs as, and for what. */
export interface InvocationAs {
  /** The invoking user: `asUser()` acts as them. Leave out for a no-user invocation (trigger, schedule). */
  readonly accountId?: string;
  /** Defaults to `test-module` / `test-function`; they appear in the app context and in sandbox errors. */
  readonly moduleKey?: string;
  readonly functionKey?: string;
  /** What `getRemainingTimeInMillis()` counts down from; default Forge's 25 s. */
  readonly limitSeconds?: number;
}

/**
 * Runs `work` as the body of a function invocation of `runtime` would run, as `as.accountId`.
 * @throws {Error} when `runtime` was not made by `createForgeRuntime`; whatever `work` throws.
 */
export function runInInvocation<T>(runtime: ForgeRuntime, as: InvocationAs, work: () => Promise<T>): Promise<T> {
  return runInInvocationScope(
    runtime,
    {
      ...(as.accountId === undefined ? {} : { accountId: as.accountId }),
      moduleKey: as.moduleKey ?? 'test-module',
      functionKey: as.functionKey ?? 'test-function',
      limitMs: (as.limitSeconds ?? DEFAULT_LIMIT_SECONDS) * 1000,
    },
    work,
  );
}

/** A runtime for an app with no modules; `close` also removes its temporary app folder. */
export interface BareRuntime {
  readonly runtime: ForgeRuntime;
  close(): Promise<void>;
}

/**
 * Starts a runtime over `jira` for an app whose manifest declares scopes and nothing else, with KVS in memory.
 * @throws {Error} when the runtime cannot start (see `createForgeRuntime`).
 */
export async function startBareRuntime(options: {
  readonly jira: JiraEmulator;
  readonly siteUrl?: string;
  readonly scopes?: readonly string[];
}): Promise<BareRuntime> {
  const appRoot = mkdtempSync(join(tmpdir(), 'forge-bare-app-'));
  const scopes = (options.scopes ?? BARE_SCOPES).map((scope) => `    - ${scope}\n`).join('');
  writeFileSync(
    join(appRoot, 'manifest.yml'),
    `app:\n  id: ${BARE_APP_ID}\n  runtime:\n    name: nodejs22.x\npermissions:\n  scopes:\n${scopes}`,
  );
  try {
    const runtime = await createForgeRuntime({
      appRoot,
      jira: options.jira,
      storagePath: ':memory:',
      siteUrl: options.siteUrl ?? 'http://localhost:8080',
    });
    return {
      runtime,
      async close() {
        await runtime.close();
        rmSync(appRoot, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(appRoot, { recursive: true, force: true });
    throw error;
  }
}
