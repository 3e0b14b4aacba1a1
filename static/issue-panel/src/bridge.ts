/**
 * The panel's only way to the backend: `invoke` with the keys of src/contract/issue-panel.ts, unwrapped from the
 * envelope. Keys stay literals at each call so the manifest contract test can read them (docs/conventions.md rule 1).
 */
import { invoke } from '@forge/bridge';
import { type IssuePanelCalls, type ProjectApplyPayload } from '../../../src/contract/issue-panel';
import { settle } from '../../common/src/call';

type Data<K extends keyof IssuePanelCalls> = IssuePanelCalls[K]['data'];

/** `project/load`. */
export function loadProject(): Promise<Data<'project/load'>> {
  return settle(invoke('project/load', {}));
}

/** `project/apply` with one op. */
export function applyOp(op: ProjectApplyPayload['op']): Promise<Data<'project/apply'>> {
  return settle(invoke('project/apply', { op }));
}

/** `project/restore`. */
export function restoreProject(): Promise<Data<'project/restore'>> {
  return settle(invoke('project/restore', {}));
}
