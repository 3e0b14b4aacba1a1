/**
 * Reading and writing one project's Tollgate documents: `tollgate-governance`, the RAID log's shards and
 * `tollgate-health`. Parsing never throws: a damaged document becomes a typed error the caller shows on that one
 * project. Writes put the RAID shards first and the governance document last, so the governance `rev` is the commit
 * marker readers compare the shards against.
 */
import { type DocumentResult } from '../domain/documents/document-error';
import {
  parseGovernanceDocument,
  GOVERNANCE_PROPERTY_KEY,
  GOVERNANCE_SCHEMA_VERSION,
  type GovernanceDocument,
} from '../domain/documents/governance-document';
import { HEALTH_PROPERTY_KEY, type HealthDocument, parseHealthDocument } from '../domain/documents/health-document';
import {
  MAX_RAID_SHARDS,
  mergeRaidShards,
  RAID_SCHEMA_VERSION,
  raidShardKey,
  type RaidShard,
  type RaidShardParser,
  raidShardSchema,
  SEARCHABLE_RAID_KEYS,
} from '../domain/documents/raid-document';
import { type RaidLog } from '../domain/raid';
import { NotFoundError } from './errors';
import { type Acting, type JiraPort, type RegistryIssue, type SigningKey } from './ports';
import { storedForm, verifySignature } from './signing';

/** Property keys one read fetches: governance, health and the shards the search can carry (5 keys per request). */
export const PROJECT_PROPERTY_KEYS: readonly string[] = [
  GOVERNANCE_PROPERTY_KEY,
  HEALTH_PROPERTY_KEY,
  ...SEARCHABLE_RAID_KEYS,
];

/** Fields the rules and views read from a registry issue, besides the configured custom fields. */
export const PROJECT_FIELDS: readonly string[] = ['summary', 'status', 'assignee', 'duedate', 'created'];

/** A project's documents as stored, parsed. */
export interface ProjectDocuments {
  readonly issue: RegistryIssue;
  /** null when the issue has no governance document yet. */
  readonly governance: DocumentResult<GovernanceDocument> | null;
  readonly raid: DocumentResult<RaidLog & { rev: number }>;
  /** The raw RAID shards as stored. */
  readonly raidShards: readonly unknown[];
  /**
   * Each of `raidShards` as the shard schema reads it (null where it is not a valid shard): the very parse the log
   * was merged from, so signature checks verify these instead of validating every shard a second time.
   */
  readonly parsedRaidShards: readonly (RaidShard | null)[];
  readonly health: DocumentResult<HealthDocument> | null;
  /**
   * The documents (governance and shards, as parsed) whose signature was checked while parsing and holds for this
   * issue on this installation; empty when no key was given. Integrity checks need not verify these again.
   */
  readonly verified: ReadonlySet<object>;
}

/**
 * A stored document the app signed under `key`, in the schema version this code writes. The app validated it when it
 * wrote it (its documents are built from schema-parsed ops by the typed reducer), so its shape needs no second
 * validation: the HMAC is the proof, and a schema parse of every document of every project was most of the
 * portfolio's read time. Anything else (unsigned, signed by another key, changed, older or newer schema) is
 * validated by its schema as before.
 */
function signedCurrent(
  key: SigningKey | undefined,
  issueId: string,
  value: unknown,
  schema: number,
): value is Record<string, unknown> {
  if (key === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const document = value as Record<string, unknown>;
  return document.schema === schema && typeof document.sig === 'string' && verifySignature(key, issueId, document);
}

/**
 * Parses documents already fetched (by a search or a get). Shards past the third are passed in `extraShards`.
 * With the installation's signing key, documents it signed for this issue are checked once and taken as they are
 * (see signedCurrent); the rest are validated by their schemas.
 * @throws {TypeError} from verifySignature when a document holds what JSON cannot carry (never from Jira's JSON).
 */
export function parseProjectDocuments(
  issue: RegistryIssue,
  extraShards: readonly unknown[] = [],
  signingKey?: SigningKey,
): ProjectDocuments {
  const raw = issue.properties;
  const shards = [...SEARCHABLE_RAID_KEYS.map((key) => raw[key]), ...extraShards];
  const verified = new Set<object>();
  // One schema parse per stored shard: the merge records what it parsed, and only shards it did not reach (after a
  // damaged one, or left over past the declared count) are parsed here.
  const parses = new Map<unknown, ReturnType<RaidShardParser>>();
  const parseShard: RaidShardParser = (value) => {
    let parsed: ReturnType<RaidShardParser>;
    if (signedCurrent(signingKey, issue.id, value, RAID_SCHEMA_VERSION)) {
      verified.add(value);
      parsed = { success: true, data: value as RaidShard };
    } else {
      parsed = raidShardSchema.safeParse(value);
    }
    parses.set(value, parsed);
    return parsed;
  };
  const raid = mergeRaidShards(shards, parseShard);
  const parseGovernance = (value: unknown): DocumentResult<GovernanceDocument> | null => {
    if (value === undefined) return null;
    if (!signedCurrent(signingKey, issue.id, value, GOVERNANCE_SCHEMA_VERSION)) return parseGovernanceDocument(value);
    verified.add(value);
    return { ok: true, document: value as GovernanceDocument, migratedFrom: null };
  };
  const raidShards = shards.filter((s) => s !== undefined);
  return {
    issue,
    governance: parseGovernance(raw[GOVERNANCE_PROPERTY_KEY]),
    raid,
    raidShards,
    parsedRaidShards: raidShards.map((shard) => {
      const parsed = parses.get(shard) ?? raidShardSchema.safeParse(shard);
      return parsed.success ? parsed.data : null;
    }),
    health: raw[HEALTH_PROPERTY_KEY] === undefined ? null : parseHealthDocument(raw[HEALTH_PROPERTY_KEY]),
    verified,
  };
}

/** How many shards the first shard says there are (0 when there is none or it cannot be read). */
function declaredShards(first: unknown): number {
  const count = (first as { shards?: unknown } | null)?.shards;
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? Math.min(count, MAX_RAID_SHARDS) : 0;
}

/**
 * The RAID shards past the ones a search or the first read carries (shard 4 on), for the rare log that outgrew three
 * properties: one request per five shards, none for a log of three shards or fewer. In property order, `undefined`
 * where a shard is not stored.
 * @throws {NotFoundError | ForbiddenError | UnavailableError} from the Jira port.
 */
export async function readShardsPastSearch(jira: JiraPort, acting: Acting, issue: RegistryIssue): Promise<unknown[]> {
  const count = declaredShards(issue.properties[raidShardKey(1)]);
  const extra: unknown[] = [];
  for (let next = SEARCHABLE_RAID_KEYS.length + 1; next <= count; next += 5) {
    const keys = Array.from({ length: Math.min(5, count - next + 1) }, (_, i) => raidShardKey(next + i));
    const more = await jira.getIssue(acting, issue.key, ['summary'], keys);
    extra.push(...keys.map((key) => more?.properties[key]));
  }
  return extra;
}

/**
 * Reads one project's documents: one request for the issue with up to five property keys, plus one request per five
 * further RAID shards for the rare log that outgrew three properties.
 * @throws {NotFoundError | ForbiddenError | UnavailableError} from the Jira port.
 */
export async function readProjectDocuments(
  jira: JiraPort,
  acting: Acting,
  issueKey: string,
  customFields: readonly string[] = [],
): Promise<ProjectDocuments | null> {
  const issue = await jira.getIssue(acting, issueKey, [...PROJECT_FIELDS, ...customFields], PROJECT_PROPERTY_KEYS);
  if (!issue) return null;
  return parseProjectDocuments(issue, await readShardsPastSearch(jira, acting, issue));
}

/**
 * Writes a signed governance document and its signed RAID shards, each in its stored form (see storedForm): shards first, then removes shards left over from
 * a longer log, governance last — so once a reader sees the new governance revision, the whole write is done.
 * @throws {JiraRejectedError | UnavailableError} from the Jira port; a partial write is repaired from the ledger.
 */
export async function writeGovernedRecord(
  jira: JiraPort,
  acting: Acting,
  issueKey: string,
  governance: GovernanceDocument,
  shards: readonly RaidShard[],
  previousShardCount: number,
): Promise<void> {
  for (const shard of shards) await jira.setProperty(acting, issueKey, raidShardKey(shard.shard), storedForm(shard));
  for (let n = shards.length + 1; n <= previousShardCount; n += 1) {
    try {
      await jira.deleteProperty(acting, issueKey, raidShardKey(n));
    } catch (error) {
      // Already gone is what we wanted.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  await jira.setProperty(acting, issueKey, GOVERNANCE_PROPERTY_KEY, storedForm(governance));
}
