/**
 * A read-model row for the adapter tests: a project without governance or RAID, judged on 2026-12-01 with the
 * default settings, so a test states only what it is about.
 */
import { toHealthDocument } from '../../domain/documents/health-document';
import { assessHealth } from '../../domain/health';
import { ragSeverity } from '../../domain/rag';
import { EMPTY_RAID_LOG } from '../../domain/raid';
import { DEFAULT_SETTINGS } from '../../domain/settings';
import { FACTS_VERSION, type Projection, storedEntryOf } from '../projection';

export function bareProjection(
  key: string,
  ids: { readonly issueId: string; readonly jiraProjectId: string },
  overrides: Partial<Projection> = {},
): Projection {
  const facts = {
    key,
    summary: `Project ${key}`,
    governance: null,
    raid: EMPTY_RAID_LOG,
    createdAt: '2026-01-05T09:00:00Z',
  };
  const health = assessHealth({ ...facts, template: null }, DEFAULT_SETTINGS.health, '2026-12-01');
  return {
    ...ids,
    key,
    securityLevelId: null,
    ownerName: null,
    integrity: 'ok',
    rag: health.overall,
    severity: ragSeverity(health.overall),
    riskMax: 0,
    mandatoryOpen: 0,
    waitsOn: [],
    facts: { ...facts, v: FACTS_VERSION },
    judgedOn: '2026-12-01',
    writtenAt: '2026-12-01T08:00:00.000Z',
    problem: null,
    health: toHealthDocument(health, 'ok', '2026-12-01T08:00:00.000Z'),
    entry: storedEntryOf({ ...facts, template: null }, health),
    ...overrides,
  };
}
