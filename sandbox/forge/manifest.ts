/**
 * Reads an app's manifest.yml and indexes what the runtime needs: functions and their handler exports, UI modules
 * with their resource and resolver, triggers, scheduled triggers, queue consumers, workflow validators and resources
 * (docs/platform.md §1). Broken references fail here, at load, with the module that made them, rather than at the
 * first invocation; @forge/manifest's FULL validation stays the authority on the schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type {
  ForgeManifest,
  ManifestConsumer,
  ManifestFunction,
  ManifestResource,
  ManifestScheduledTrigger,
  ManifestSqlModule,
  ManifestTrigger,
  ManifestUiModule,
  ManifestWorkflowValidator,
  ScheduleInterval,
} from './types';

/** Thrown when manifest.yml cannot be run as written; the message names the module and the field. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(`manifest.yml: ${message}`);
    this.name = 'ManifestError';
  }
}

type Entry = Readonly<Record<string, unknown>>;

/** Module types that are not UI surfaces: they are indexed by their own rules below. */
const NON_UI_MODULES = new Set([
  'function',
  'trigger',
  'scheduledTrigger',
  'consumer',
  'webtrigger',
  'jira:workflowValidator',
  'jira:entityProperty',
  'jira:entityPropertySet',
  'sql',
]);

const INTERVALS: readonly ScheduleInterval[] = ['fiveMinute', 'hour', 'day', 'week'];

/** Forge's ARI prefix for apps; `appContext.appId` carries only the part after it (@forge/api out/api/ari.js). */
const APP_ARI_PREFIX = 'ari:cloud:ecosystem::app/';

function isRecord(value: unknown): value is Entry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(value: unknown, moduleType: string): Entry[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new ManifestError(`modules.${moduleType} must be a list`);
  return value;
}

function text(entry: Entry, field: string, where: string): string {
  const value = entry[field];
  if (typeof value !== 'string' || value.length === 0) throw new ManifestError(`${where}: "${field}" is required`);
  return value;
}

function optionalText(entry: Entry, field: string, where: string): string | undefined {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ManifestError(`${where}: "${field}" must be a string`);
  return value;
}

/** `resolver: { function: key }`; `endpoint` resolvers (Forge Remote) have no function to run here. */
function resolverFunction(entry: Entry, where: string): string | undefined {
  const resolver = entry.resolver;
  if (resolver === undefined) return undefined;
  if (!isRecord(resolver)) throw new ManifestError(`${where}: "resolver" must be a mapping`);
  if (resolver.endpoint !== undefined) {
    throw new ManifestError(`${where}: resolver.endpoint (Forge Remote) is not supported by the sandbox`);
  }
  return text(resolver, 'function', `${where} resolver`);
}

/** Forge's memory for a function when the manifest names none, and the most it allows (docs/platform.md §3). */
export const DEFAULT_MEMORY_MB = 512;
const MAX_MEMORY_MB = 1024;

function memoryOf(runtime: unknown, where: string): number | undefined {
  if (!isRecord(runtime) || runtime.memoryMB === undefined) return undefined;
  const mb = runtime.memoryMB;
  if (typeof mb !== 'number' || !Number.isInteger(mb) || mb < 128 || mb > MAX_MEMORY_MB) {
    throw new ManifestError(`${where}: runtime.memoryMB must be a whole number from 128 to ${MAX_MEMORY_MB}`);
  }
  return mb;
}

function parseFunction(entry: Entry, appMemoryMB: number): ManifestFunction {
  const key = text(entry, 'key', 'function');
  const handler = text(entry, 'handler', `function ${key}`);
  // `index.handler` → file src/index.*, export `handler`; the last dot separates the export (docs/platform.md §1).
  const dot = handler.lastIndexOf('.');
  if (dot <= 0 || dot === handler.length - 1) {
    throw new ManifestError(`function ${key}: handler "${handler}" must be "<file>.<export>"`);
  }
  const timeout = entry.timeoutSeconds;
  if (timeout !== undefined && (typeof timeout !== 'number' || timeout <= 0)) {
    throw new ManifestError(`function ${key}: timeoutSeconds must be a positive number`);
  }
  return {
    key,
    file: handler.slice(0, dot),
    exportName: handler.slice(dot + 1),
    ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
    memoryMB: memoryOf(entry.runtime, `function ${key}`) ?? appMemoryMB,
  };
}

function parseTrigger(entry: Entry): ManifestTrigger {
  const key = text(entry, 'key', 'trigger');
  const events = entry.events;
  if (!Array.isArray(events) || !events.every((e): e is string => typeof e === 'string') || events.length === 0) {
    throw new ManifestError(`trigger ${key}: "events" must be a non-empty list of event names`);
  }
  const filter = entry.filter;
  if (filter !== undefined && !isRecord(filter)) throw new ManifestError(`trigger ${key}: "filter" must be a mapping`);
  // A Jira-expression filter is evaluated by Jira before Forge invokes the trigger; the sandbox cannot evaluate it,
  // and silently delivering every event would hide a filter bug.
  if (filter?.expression !== undefined) {
    throw new ManifestError(`trigger ${key}: filter.expression is not supported by the sandbox`);
  }
  return {
    key,
    functionKey: text(entry, 'function', `trigger ${key}`),
    events,
    ignoreSelf: filter?.ignoreSelf === true,
  };
}

function parseScheduledTrigger(entry: Entry): ManifestScheduledTrigger {
  const key = text(entry, 'key', 'scheduledTrigger');
  const interval = text(entry, 'interval', `scheduledTrigger ${key}`);
  const known = INTERVALS.find((i) => i === interval);
  if (!known) throw new ManifestError(`scheduledTrigger ${key}: interval must be one of ${INTERVALS.join(', ')}`);
  return { key, functionKey: text(entry, 'function', `scheduledTrigger ${key}`), interval: known };
}

function parseConsumer(entry: Entry): ManifestConsumer {
  const key = text(entry, 'key', 'consumer');
  // `resolver: {function, method}` is the @forge/events v1 syntax; the installed SDK (3.x) calls `function` consumers.
  if (entry.resolver !== undefined) {
    throw new ManifestError(`consumer ${key}: "resolver" is the deprecated @forge/events v1 syntax; use "function"`);
  }
  return {
    key,
    queue: text(entry, 'queue', `consumer ${key}`),
    functionKey: text(entry, 'function', `consumer ${key}`),
  };
}

function parseValidator(entry: Entry): ManifestWorkflowValidator {
  const key = text(entry, 'key', 'jira:workflowValidator');
  const functionKey = optionalText(entry, 'function', `jira:workflowValidator ${key}`);
  const expression = optionalText(entry, 'expression', `jira:workflowValidator ${key}`);
  if ((functionKey === undefined) === (expression === undefined)) {
    throw new ManifestError(`jira:workflowValidator ${key}: exactly one of "function" or "expression" is required`);
  }
  return { key, ...(functionKey ? { functionKey } : {}), ...(expression ? { expression } : {}) };
}

/**
 * `sql: [{ key, engine: mysql }]`: one database per installation; @forge/manifest's schema (ModuleSchema `sql`) allows
 * only the engine `mysql`.
 */
function parseSqlModule(entry: Entry): ManifestSqlModule {
  const key = text(entry, 'key', 'sql');
  const engine = text(entry, 'engine', `sql ${key}`);
  if (engine !== 'mysql') throw new ManifestError(`sql ${key}: engine must be "mysql" (Forge SQL is TiDB)`);
  return { key, engine };
}

/** Modules Forge has deprecated, with what replaces them (docs/platform.md §8). */
const DEPRECATED_MODULES: Readonly<Record<string, string>> = {
  'jira:issueGlance': 'jira:issueContext',
};

/** The page layouts `jira:globalPage` takes; `basic` is deprecated (docs/platform.md §8). */
const GLOBAL_PAGE_LAYOUTS = ['native', 'blank'];

function parseUiModule(type: string, entry: Entry): ManifestUiModule {
  const key = text(entry, 'key', type);
  const where = `${type} ${key}`;
  const replacement = DEPRECATED_MODULES[type];
  if (replacement) throw new ManifestError(`${where}: ${type} is deprecated; use ${replacement}`);
  if (type === 'jira:globalPage') {
    const layout = optionalText(entry, 'layout', where);
    if (layout !== undefined && !GLOBAL_PAGE_LAYOUTS.includes(layout)) {
      throw new ManifestError(
        `${where}: layout "${layout}" is ${layout === 'basic' ? 'deprecated' : 'unknown'}; use ${GLOBAL_PAGE_LAYOUTS.join(' or ')}`,
      );
    }
  }
  const adfExport = entry.adfExport;
  if (adfExport !== undefined && !isRecord(adfExport))
    throw new ManifestError(`${where}: "adfExport" must be a mapping`);
  const resource = optionalText(entry, 'resource', where);
  const resolver = resolverFunction(entry, where);
  const adfExportFunction = adfExport ? text(adfExport, 'function', `${where} adfExport`) : undefined;
  return {
    key,
    type,
    ...(resource ? { resource } : {}),
    ...(resolver ? { resolverFunction: resolver } : {}),
    ...(adfExportFunction ? { adfExportFunction } : {}),
    definition: entry,
  };
}

function byKey<T extends { readonly key: string }>(items: readonly T[], what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (map.has(item.key)) throw new ManifestError(`${what} key "${item.key}" is declared twice`);
    map.set(item.key, item);
  }
  return map;
}

/** Parses manifest.yml text into the runtime's index. @throws {ManifestError} when it cannot be run as written. */
export function parseManifest(yamlText: string): ForgeManifest {
  const doc: unknown = parse(yamlText);
  if (!isRecord(doc) || !isRecord(doc.app)) throw new ManifestError('"app" is required');
  const appAri = text(doc.app, 'id', 'app');
  if (!appAri.startsWith(APP_ARI_PREFIX)) throw new ManifestError(`app.id must start with ${APP_ARI_PREFIX}`);
  const modules = doc.modules === undefined ? {} : doc.modules;
  if (!isRecord(modules)) throw new ManifestError('"modules" must be a mapping');

  const appMemoryMB = memoryOf(doc.app.runtime, 'app') ?? DEFAULT_MEMORY_MB;
  const functions = byKey(
    entries(modules.function, 'function').map((entry) => parseFunction(entry, appMemoryMB)),
    'function',
  );
  const uiModules: ManifestUiModule[] = [];
  for (const [type, list] of Object.entries(modules)) {
    if (NON_UI_MODULES.has(type)) continue;
    for (const entry of entries(list, type)) {
      // Legacy UI Kit 1 modules (`function:` instead of `resource:`) no longer run on Forge (docs/platform.md §2).
      if (entry.function !== undefined && entry.resource === undefined) {
        throw new ManifestError(`${type} ${String(entry.key)}: UI Kit 1 "function" modules are removed from Forge`);
      }
      if (entry.resource !== undefined || entry.resolver !== undefined || entry.adfExport !== undefined) {
        uiModules.push(parseUiModule(type, entry));
      }
    }
  }
  const triggers = entries(modules.trigger, 'trigger').map(parseTrigger);
  const scheduled = entries(modules.scheduledTrigger, 'scheduledTrigger').map(parseScheduledTrigger);
  const consumers = entries(modules.consumer, 'consumer').map(parseConsumer);
  const validators = entries(modules['jira:workflowValidator'], 'jira:workflowValidator').map(parseValidator);
  const sqlModules = [...byKey(entries(modules.sql, 'sql').map(parseSqlModule), 'sql').values()];
  const resources = byKey(
    entries(doc.resources, 'resources').map((entry): ManifestResource => ({
      key: text(entry, 'key', 'resource'),
      path: text(entry, 'path', 'resource'),
    })),
    'resource',
  );

  const needFunction = (functionKey: string, where: string): void => {
    if (!functions.has(functionKey)) throw new ManifestError(`${where} refers to unknown function "${functionKey}"`);
  };
  for (const m of uiModules) {
    if (m.resolverFunction) needFunction(m.resolverFunction, `${m.type} ${m.key}`);
    if (m.adfExportFunction) needFunction(m.adfExportFunction, `${m.type} ${m.key} adfExport`);
    if (m.resource && !resources.has(m.resource)) {
      throw new ManifestError(`${m.type} ${m.key} refers to unknown resource "${m.resource}"`);
    }
  }
  for (const t of triggers) needFunction(t.functionKey, `trigger ${t.key}`);
  for (const s of scheduled) needFunction(s.functionKey, `scheduledTrigger ${s.key}`);
  for (const c of consumers) needFunction(c.functionKey, `consumer ${c.key}`);
  for (const v of validators) if (v.functionKey) needFunction(v.functionKey, `jira:workflowValidator ${v.key}`);
  const queues = new Set<string>();
  for (const c of consumers) {
    // One consumer per queue: with two, which one Forge would call is not ours to guess.
    if (queues.has(c.queue)) throw new ManifestError(`queue "${c.queue}" has more than one consumer`);
    queues.add(c.queue);
  }

  const permissions = doc.permissions;
  const scopes = isRecord(permissions) && Array.isArray(permissions.scopes) ? permissions.scopes : [];
  return {
    appId: appAri.slice(APP_ARI_PREFIX.length),
    appAri,
    functions,
    uiModules: byKey(uiModules, 'module'),
    triggers,
    scheduledTriggers: byKey(scheduled, 'scheduledTrigger'),
    consumers,
    workflowValidators: validators,
    resources,
    sqlModules,
    scopes: scopes.filter((s): s is string => typeof s === 'string'),
  };
}

/** Loads `<appRoot>/manifest.yml`. @throws {ManifestError} when it cannot be run as written. */
export function loadManifest(appRoot: string): ForgeManifest {
  return parseManifest(readFileSync(join(appRoot, 'manifest.yml'), 'utf8'));
}
