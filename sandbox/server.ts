/**
 * The whole sandbox on one port: the Jira REST emulator at the site root (as on a Jira Cloud site), the Forge
 * runtime running the app unchanged, and the Jira- and Confluence-like hosts with the bridge for Custom UI frames.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { createSqlReadModel } from '../src/adapters/sql/sql-read-model';
import { createKvsStorage } from '../src/adapters/storage/kvs-storage';
import { type IsoDate } from '../src/domain/time';
import { type QueueLimitOptions } from './forge/async-events';
import { runInInvocation } from './forge/invocation';
import { loadManifest } from './forge/manifest';
import { createForgeRuntime } from './forge/runtime';
import type { ForgeRuntime } from './forge/types';
import { adfProblems, adfToHtml } from './host/adf';
import { registerBridgeRoutes, TOKEN_STYLESHEET_PATH } from './host/bridge-routes';
import { ConfluenceStore, type PageBlock } from './host/confluence-store';
import { FrameRegistry } from './host/frames';
import { registerHostRoutes } from './host/host-routes';
import { html, type Html } from './host/html';
import type { Persona, Session } from './host/layout';
import { createJiraEmulator, indexedPropertiesFromManifest, type JiraEmulatorHandle } from './jira/emulator';
import { type LatencyModel } from './jira/latency';
import { type JiraStore, openJiraStore } from './jira/store';
import { demoSettings } from './seed/demo-settings';
import { demoSnapshots } from './seed/demo-snapshots';
import { ALL_PEOPLE, PEOPLE } from './seed/people';
import { seedSandbox } from './seed/seed';
import { signSeededDocuments } from './seed/signatures';

export interface SandboxOptions {
  /** The Forge app to run: a folder with manifest.yml and src/. */
  readonly appRoot: string;
  /** Where the SQLite files live; created if missing. */
  readonly dataDir: string;
  readonly port: number;
  /** Interface to listen on; loopback by default. */
  readonly host?: string;
  /** Jira's answer times for the app's requests (sandbox/jira/latency.ts); none unless given. */
  readonly latency?: LatencyModel;
  /** Forge SQL's answer times (sandbox/forge/sql/sql-service.ts SQL_LATENCY); none unless given. */
  readonly sqlLatency?: LatencyModel;
  /** Forge SQL's InnoDB buffer pool, in MiB (see sandbox/forge/sql/mariadb-server.ts). */
  readonly sqlBufferPoolMiB?: number;
  /** The queue's limits (sandbox/forge/async-events.ts); false for a harness that keeps the count itself. */
  readonly queueLimits?: QueueLimitOptions | false;
  /** The demo's "today" when seeding; defaults to the real date. */
  readonly today?: IsoDate;
  /** Skip the demo data (tests that build their own). */
  readonly seed?: boolean;
  readonly logger?: boolean;
}

export interface Sandbox {
  readonly url: string;
  readonly server: FastifyInstance;
  readonly jira: JiraEmulatorHandle;
  readonly forge: ForgeRuntime;
  readonly confluence: ConfluenceStore;
  readonly cspReports: readonly unknown[];
  close(): Promise<void>;
}

function personasFrom(jira: JiraEmulatorHandle): () => Persona[] {
  const roles = new Map<string, string>(ALL_PEOPLE.map((p) => [p.accountId, p.role]));
  return () =>
    jira.store
      .listUsers()
      .filter((u) => u.accountType === 'atlassian' && u.active)
      .map((u) => ({ accountId: u.accountId, displayName: u.displayName, role: roles.get(u.accountId) ?? 'User' }));
}

/** The sandbox's stores, seeded with the demo when they are new. */
export interface SandboxData {
  readonly store: JiraStore;
  readonly confluence: ConfluenceStore;
  close(): void;
}

/** Opens (and on first use seeds) the SQLite files in `dataDir`. */
export function openSandboxData(options: Pick<SandboxOptions, 'appRoot' | 'dataDir' | 'today' | 'seed'>): SandboxData {
  mkdirSync(options.dataDir, { recursive: true });
  const store = openJiraStore({ path: join(options.dataDir, 'jira.db') });
  const confluenceDb = new Database(join(options.dataDir, 'confluence.db'));
  const confluence = new ConfluenceStore(confluenceDb);
  if (store.listProjects().length === 0 && options.seed !== false) {
    const macroKeys = [...loadManifest(options.appRoot).uiModules.values()]
      .filter((m) => m.type === 'macro')
      .map((m) => m.key);
    seedSandbox(store, confluence, { today: options.today ?? new Date().toISOString().slice(0, 10), macroKeys });
  }
  return {
    store,
    confluence,
    close: () => {
      store.close();
      confluenceDb.close();
    },
  };
}

/**
 * The app's manifest translations, as Forge resolves `{ i18n: key }`: the reader's locale, then the fallback.
 * Forge keys Norwegian as `no-NO`; the sandbox's switcher says `nb-NO`.
 */
function manifestTranslations(appRoot: string, manifest: unknown): (key: string, locale: string) => string | undefined {
  const translations = (
    manifest as { translations?: { resources?: Array<{ key: string; path: string }>; fallback?: { default?: string } } }
  ).translations;
  const catalogs = new Map(
    (translations?.resources ?? []).map((r) => [
      r.key,
      JSON.parse(readFileSync(join(appRoot, r.path), 'utf8')) as Record<string, unknown>,
    ]),
  );
  const fallback = translations?.fallback?.default ?? 'en-US';
  const lookup = (catalog: Record<string, unknown> | undefined, key: string): string | undefined => {
    const value = catalog?.[key];
    return typeof value === 'string' ? value : undefined;
  };
  return (key, locale) =>
    lookup(catalogs.get(locale === 'nb-NO' ? 'no-NO' : locale), key) ?? lookup(catalogs.get(fallback), key);
}

/**
 * A macro as Confluence's Word/PDF export prints it: the app's `adfExport` function runs as the exporting user, and
 * what it returns is checked against Atlassian's ADF schema before it is rendered. Null (Confluence's "we don't have
 * a way to export this macro") when the macro declares no adfExport; a sentence in its place when the export fails.
 */
async function exportMacro(
  forge: ForgeRuntime,
  jira: JiraEmulatorHandle,
  confluence: ConfluenceStore,
  session: Session,
  pageId: string,
  block: Extract<PageBlock, { type: 'macro' }>,
): Promise<Html | null> {
  if (!forge.manifest.uiModules.get(block.moduleKey)?.adfExportFunction) return null;
  const page = confluence.get(pageId);
  let document: unknown;
  try {
    document = await forge.exportMacro(block.moduleKey, {
      accountId: session.user.accountId,
      exportType: 'pdf',
      localId: block.localId,
      locale: session.locale,
      timezone: 'Europe/Oslo',
      extension: {
        content: { id: pageId, type: 'page' },
        space: { key: page?.spaceKey },
        config: block.config ?? undefined,
        isEditing: false,
      },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return html`<p class="error" data-export-failed="${block.localId}">
      This macro could not be exported (${reason}). The rest of the page is exported without it.
    </p>`;
  }
  const problems = adfProblems(document);
  if (problems.length > 0) {
    return html`<p class="error" data-export-failed="${block.localId}">
      This macro's export is not valid ADF (${problems.join('; ')}), so Confluence leaves it out.
    </p>`;
  }
  const userName = (accountId: string) => jira.store.getUser(accountId)?.displayName;
  return html`<section class="macro-export" data-module="${block.moduleKey}" data-local-id="${block.localId}">
    ${adfToHtml(document, { userName })}
  </section>`;
}

/** Starts the sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const host = options.host ?? '127.0.0.1';
  const siteUrl = `http://localhost:${options.port}`;
  const manifestYaml = parse(readFileSync(join(options.appRoot, 'manifest.yml'), 'utf8')) as unknown;

  const fresh = !existsSync(join(options.dataDir, 'jira.db'));
  const data = openSandboxData(options);
  const { store, confluence } = data;
  const jira = createJiraEmulator({
    store,
    siteUrl,
    indexedProperties: indexedPropertiesFromManifest(manifestYaml),
    ...(options.latency ? { latency: options.latency } : {}),
  });
  const forge = await createForgeRuntime({
    appRoot: options.appRoot,
    jira: jira.emulator,
    storagePath: join(options.dataDir, 'forge-storage.db'),
    sqlDataDir: join(options.dataDir, 'forge-sql'),
    ...(options.sqlLatency ? { sqlLatency: options.sqlLatency } : {}),
    ...(options.sqlBufferPoolMiB === undefined ? {} : { sqlBufferPoolMiB: options.sqlBufferPoolMiB }),
    ...(options.queueLimits === undefined ? {} : { queueLimits: options.queueLimits }),
    siteUrl,
  });
  if (fresh && options.seed !== false) {
    // The app's settings live in its own storage; the demo saves them through the app's adapter, as the admin page
    // would, inside an invocation so the KVS call carries the app's identity. The
    // seeded documents are signed with this installation's key, as if Tollgate had written them.
    const storage = createKvsStorage();
    await runInInvocation(forge, {}, async () => {
      signSeededDocuments(store, await storage.signingKey());
      const current = await storage.loadSettings();
      await storage.saveSettings(demoSettings(), current.version);
    });
    // A real site would have indexed its issues long before anyone opened Tollgate, and then installed it: the
    // install event builds the read model in Forge SQL the portfolio reads (a fixture app without a life-cycle
    // trigger is simply not called).
    jira.settleSearchIndex();
    await forge.deliverLifecycleEvent('avi:forge:installed:app', PEOPLE.admin.accountId);
    await forge.drainQueue();
    jira.settleSearchIndex();
    // A few weeks of history, kept by key, once the read model holds the rows they are kept for (an app without
    // Forge SQL, such as the bridge's fixture, keeps none).
    if (forge.sqlEnabled)
      await runInInvocation(forge, {}, async () => {
        const readModel = createSqlReadModel();
        for (const { week, rows } of demoSnapshots(options.today ?? new Date().toISOString().slice(0, 10))) {
          await readModel.saveSnapshot(week, rows);
        }
      });
  }
  const frames = new FrameRegistry();
  const cspReports: unknown[] = [];
  const manifest = forge.manifest;
  const server = Fastify({ logger: options.logger ?? false, bodyLimit: 6 * 1024 * 1024 });

  await server.register(jira.plugin);
  registerBridgeRoutes(server, {
    frames,
    jira: jira.emulator,
    forge,
    siteUrl,
    resources: new Map([...manifest.resources.values()].map((r) => [r.key, join(options.appRoot, r.path)])),
    permissions: (manifestYaml as { permissions?: { content?: { styles?: string[] } } }).permissions ?? {},
    themeStylesheets: () => [TOKEN_STYLESHEET_PATH],
    onSubmit: async (frame, config) => {
      const content = frame.extension.content as { id?: string } | undefined;
      if (content?.id && typeof config === 'object' && config !== null) {
        confluence.saveMacroConfig(content.id, frame.localId, config as Record<string, unknown>);
      }
      return Promise.resolve();
    },
    cspReports,
  });
  registerHostRoutes(server, {
    translate: manifestTranslations(options.appRoot, manifestYaml),
    jira: jira.emulator,
    forge,
    frames,
    confluence,
    personas: personasFrom(jira),
    defaultAccountId: PEOPLE.pmoLead.accountId,
    siteUrl,
    exportMacro: (session, pageId, block) => exportMacro(forge, jira, confluence, session, pageId, block),
  });
  await server.listen({ port: options.port, host });

  return {
    url: siteUrl,
    server,
    jira,
    forge,
    confluence,
    cspReports,
    close: async () => {
      await server.close();
      await forge.close();
      await jira.close();
      data.close();
    },
  };
}
