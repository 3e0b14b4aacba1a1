/**
 * The admin page's only way to the backend: `invoke` with the keys of src/contract/admin.ts, unwrapped from the
 * envelope. Keys stay literals at each call so the manifest contract test can read them (docs/conventions.md rule 1).
 */
import { invoke } from '@forge/bridge';
import {
  type JqlPreviewResult,
  type ReadModelRecheckResult,
  type ReadModelStatus,
  type SettingsLoadResult,
  type SettingsSavePayload,
  type SettingsSaveResult,
} from '../../../src/contract/admin';
import { settle } from '../../common/src/call';

/** `settings/load`: the settings, their version, every template's newest version and whether the caller may save. */
export function loadSettings(): Promise<SettingsLoadResult> {
  return settle(invoke('settings/load', {}));
}

/** `settings/save`: stores the settings when they are valid, Jira accepts the JQL and nobody saved meanwhile. */
export function saveSettings(payload: SettingsSavePayload): Promise<SettingsSaveResult> {
  return settle(invoke('settings/save', payload));
}

/** `settings/previewJql`: how many issues the query matches, or Jira's reason for refusing it; stores nothing. */
export function previewJql(jql: string): Promise<JqlPreviewResult> {
  return settle(invoke('settings/previewJql', { jql }));
}

/** `readModel/status`: how many projects the portfolio view holds and since when every one was checked against Jira. */
export function readModelStatus(): Promise<ReadModelStatus> {
  return settle(invoke('readModel/status', {}));
}

/** `readModel/recheck`: every registry project queued to be checked against Jira again. */
export function recheckReadModel(): Promise<ReadModelRecheckResult> {
  return settle(invoke('readModel/recheck', {}));
}
