/**
 * A sandbox data folder holding a benchmark portfolio, written straight into the stores (seeding is not what is
 * measured): the demo's people, projects and workflow with `portfolio`'s registry projects instead of the demo's
 * forty, their documents signed with the installation's key as the app's write path signs them, the demo's PMO
 * settings, and one committed ledger entry per governed project at its current revision — so integrity checks take
 * the path they take in production ("ok", not "unsigned").
 */
import { join } from 'node:path';
import { runInInvocation } from '../sandbox/forge/invocation';
import { loadManifest } from '../sandbox/forge/manifest';
import { createForgeRuntime } from '../sandbox/forge/runtime';
import { createJiraEmulator } from '../sandbox/jira/emulator';
import { type DemoPortfolio } from '../sandbox/seed/demo-portfolio';
import { demoSettings } from '../sandbox/seed/demo-settings';
import { PEOPLE } from '../sandbox/seed/people';
import { seedSandbox } from '../sandbox/seed/seed';
import { signSeededDocuments } from '../sandbox/seed/signatures';
import { openSandboxData, type Sandbox } from '../sandbox/server';
import { createKvsStorage } from '../src/adapters/storage/kvs-storage';
import { type SigningKey } from '../src/app/ports';
import { GOVERNANCE_PROPERTY_KEY } from '../src/domain/documents/governance-document';
import { type IsoDate } from '../src/domain/time';

const SITE = 'http://localhost:8080';

/** The first `count` projects of a portfolio (dependencies point at earlier projects, so a prefix is whole). */
export function portfolioPrefix(portfolio: DemoPortfolio, count: number): DemoPortfolio {
  if (count > portfolio.issues.length) throw new RangeError(`the portfolio has only ${portfolio.issues.length}`);
  return { ...portfolio, issues: portfolio.issues.slice(0, count), keys: portfolio.keys.slice(0, count) };
}

/** The installation's signing key and the demo settings, made in the app's own storage by the app's adapter. */
async function prepareAppStorage(appRoot: string, dataDir: string): Promise<SigningKey> {
  const data = openSandboxData({ appRoot, dataDir, seed: false });
  const jira = createJiraEmulator({ store: data.store, siteUrl: SITE });
  const runtime = await createForgeRuntime({
    appRoot,
    jira: jira.emulator,
    storagePath: join(dataDir, 'forge-storage.db'),
    siteUrl: SITE,
  });
  try {
    const storage = createKvsStorage();
    return await runInInvocation(runtime, {}, async () => {
      const current = await storage.loadSettings();
      await storage.saveSettings(demoSettings(), current.version);
      return storage.signingKey();
    });
  } finally {
    await runtime.close();
    await jira.close();
    data.close();
  }
}

/**
 * Seeds a new data folder with the portfolio; `startSandbox` on it then finds it seeded and leaves it as it is.
 * Returns the signing key (the compute comparison signs nothing, but verifies with it).
 */
export async function seedBenchmarkData(
  appRoot: string,
  dataDir: string,
  portfolio: DemoPortfolio,
  today: IsoDate,
): Promise<SigningKey> {
  const key = await prepareAppStorage(appRoot, dataDir);
  const data = openSandboxData({ appRoot, dataDir, seed: false });
  try {
    const macroKeys = [...loadManifest(appRoot).uiModules.values()].filter((m) => m.type === 'macro').map((m) => m.key);
    seedSandbox(data.store, data.confluence, { today, macroKeys, portfolio });
    // Signed once the issues exist: every signature is bound to its issue's id, which the store assigns.
    signSeededDocuments(data.store, key);
  } finally {
    data.close();
  }
  return key;
}

/**
 * One committed ledger entry per governed project at its stored revision with its signature, written through the
 * app's storage adapter (what the write path leaves behind after the project's last op).
 */
export async function seedLedgerHeads(sandbox: Sandbox): Promise<number> {
  const storage = createKvsStorage();
  const heads = sandbox.jira.store.listIssues().flatMap((issue) => {
    const governance = sandbox.jira.store.getProperty(issue.id, GOVERNANCE_PROPERTY_KEY) as
      { rev?: number; sig?: string; updatedAt?: string } | undefined;
    if (typeof governance?.rev !== 'number' || typeof governance.sig !== 'string') return [];
    return [{ issueId: issue.id, rev: governance.rev, sig: governance.sig }];
  });
  const BATCH = 50;
  await runInInvocation(sandbox.forge, {}, async () => {
    for (let start = 0; start < heads.length; start += BATCH) {
      // These entries stand for months of ops, not one minute's: the KVS quota meter starts afresh for each batch.
      sandbox.forge.resetKvsQuota();
      await Promise.all(
        heads.slice(start, start + BATCH).map((head) =>
          storage.claimLedger({
            ...head,
            // The op itself is not replayed at the head (the documents are at its revision), so a marker will do.
            op: { seededBy: 'benchmark', note: 'documents built through the domain reducer' },
            by: PEOPLE.pmoLead.accountId,
            at: new Date().toISOString(),
            committed: true,
          }),
        ),
      );
    }
  });
  return heads.length;
}
