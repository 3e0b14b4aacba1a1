/**
 * The panel's only way to the backend: `invoke` with the keys of src/contract/issue-panel.ts, unwrapped from the
 * envelope. Keys stay literals at each call so the manifest contract test can read them (STYLE.md rule 1).
 */
import { invoke } from '@forge/bridge';
import { type ResolverError, type ResolverResponse } from '../../../src/contract/envelope';
import { type IssuePanelCalls, type ProjectApplyPayload } from '../../../src/contract/issue-panel';

/** A refusal or failure the server answered with; `errors[0]` says what to tell the reader. */
export class PanelCallError extends Error {
  constructor(readonly errors: readonly ResolverError[]) {
    super(errors[0]?.message ?? 'Tollgate did not answer.');
  }
}

// invoke is typed to allow a metadata wrapper, which only calls that pass metadata get; these never do.
function unwrap<T>(response: unknown): T {
  const envelope = response as ResolverResponse<T>;
  if (envelope.success) return envelope.data;
  throw new PanelCallError(envelope.errors);
}

/** Turns a bridge failure (network, host) into the same shape as a server answer. */
function asCallError(error: unknown): PanelCallError {
  if (error instanceof PanelCallError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new PanelCallError([{ errorType: 'UNAVAILABLE', message }]);
}

/** `project/load`. */
export async function loadProject(): Promise<IssuePanelCalls['project/load']['data']> {
  try {
    return unwrap<IssuePanelCalls['project/load']['data']>(await invoke('project/load', {}));
  } catch (error) {
    throw asCallError(error);
  }
}

/** `project/apply` with one op. */
export async function applyOp(op: ProjectApplyPayload['op']): Promise<IssuePanelCalls['project/apply']['data']> {
  try {
    return unwrap<IssuePanelCalls['project/apply']['data']>(await invoke('project/apply', { op }));
  } catch (error) {
    throw asCallError(error);
  }
}

/** `project/restore`. */
export async function restoreProject(): Promise<IssuePanelCalls['project/restore']['data']> {
  try {
    return unwrap<IssuePanelCalls['project/restore']['data']>(await invoke('project/restore', {}));
  } catch (error) {
    throw asCallError(error);
  }
}
