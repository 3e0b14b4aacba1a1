import { events, showFlag } from '@forge/bridge';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type ResolverError } from '../../../src/contract/envelope';
import { type ProjectChangeResult, type ProjectPanelView } from '../../../src/contract/issue-panel';
import { CallError } from '../../common/src/call';
import { describeError } from '../../common/src/describe-error';
import { useI18n } from '../../common/src/useI18n';
import { applyOp, loadProject, restoreProject } from './bridge';
import { type PanelOp, previewOp } from './optimistic';

/** The Forge event the panel emits after every change that landed, and the issue context panel listens for. */
export const PROJECT_CHANGED = 'tollgate:project-changed';

/** What the event carries: which issue changed, and to which revision. */
export interface ProjectChanged {
  readonly issueKey: string;
  readonly rev: number;
}

export type ProjectState =
  | { readonly status: 'loading' }
  | { readonly status: 'error'; readonly errors: readonly ResolverError[] }
  | { readonly status: 'ready'; readonly view: ProjectPanelView; readonly busy: boolean };

interface Pending {
  readonly id: number;
  readonly op: PanelOp;
  readonly at: string;
}

export interface ProjectActions {
  /** Applies an op, previewing its effect at once; resolves false (after a flag) when the server refused it. */
  readonly apply: (op: PanelOp) => Promise<boolean>;
  readonly restore: () => Promise<boolean>;
  readonly reload: () => void;
}

/**
 * The panel's project: the server's last answer plus the ops still on their way, previewed on top (optimistic
 * updates). A refused op simply drops out of the pending list, which rolls its preview back, and a flag says why.
 */
export function useProject(accountId: string): [ProjectState, ProjectActions] {
  const { t } = useI18n();
  const [confirmed, setConfirmed] = useState<ProjectPanelView | null>(null);
  const [errors, setErrors] = useState<readonly ResolverError[] | null>(null);
  const [pending, setPending] = useState<readonly Pending[]>([]);
  const [busy, setBusy] = useState(false);
  const nextId = useRef(1);
  const confirmedKey = useRef<string | null>(null);
  confirmedKey.current = confirmed?.issue.key ?? confirmedKey.current;

  const reload = useCallback(() => {
    setErrors(null);
    loadProject().then(
      (view) => setConfirmed(view),
      (error: unknown) => setErrors(error instanceof CallError ? error.errors : []),
    );
  }, []);

  useEffect(reload, [reload]);

  const settle = useCallback(
    (result: ProjectChangeResult) => {
      // The change landed; a missing view means only the re-read failed, so read again rather than repeat it.
      if (result.view) setConfirmed(result.view);
      else reload();
      if (result.pending) {
        // Recorded, so it is a success (sending it again would count it twice); only Jira's copy is behind.
        showFlag({
          id: `tollgate-pending-${Date.now()}`,
          title: t('panel.pendingWrite.saved'),
          type: 'info',
          isAutoDismiss: true,
        });
      }
      // The context panel is another frame of this app on the same issue: tell it to read the new health and stage.
      const issueKey = result.view?.issue.key ?? confirmedKey.current;
      if (issueKey) {
        const change: ProjectChanged = { issueKey, rev: result.rev };
        events
          .emit(PROJECT_CHANGED, change)
          .catch((error: unknown) =>
            console.warn('Tollgate could not tell the context panel about the change:', error),
          );
      }
    },
    [reload, t],
  );

  const refuse = useCallback(
    (error: unknown) => {
      const details = error instanceof CallError ? error.errors : [];
      showFlag({
        id: `tollgate-refused-${Date.now()}`,
        title: t('panel.flag.refused'),
        description: describeError(t, details, 'panel'),
        type: 'error',
        isAutoDismiss: true,
      });
      // Tampered documents or a stale view: show the server's current state, not ours.
      if (details.some((e) => e.errorType === 'CONFLICT' || e.errorType === 'NOT_FOUND')) reload();
    },
    [reload, t],
  );

  const apply = useCallback(
    async (op: PanelOp) => {
      const entry: Pending = { id: nextId.current++, op, at: new Date().toISOString() };
      setPending((list) => [...list, entry]);
      try {
        settle(await applyOp(op));
        return true;
      } catch (error) {
        refuse(error);
        return false;
      } finally {
        setPending((list) => list.filter((p) => p.id !== entry.id));
      }
    },
    [refuse, settle],
  );

  const restore = useCallback(async () => {
    setBusy(true);
    try {
      settle(await restoreProject());
      showFlag({ id: `tollgate-restored-${Date.now()}`, title: t('panel.integrity.restored'), type: 'success' });
      return true;
    } catch (error) {
      refuse(error);
      return false;
    } finally {
      setBusy(false);
    }
  }, [refuse, settle, t]);

  const state = useMemo<ProjectState>(() => {
    if (errors) return { status: 'error', errors };
    if (!confirmed) return { status: 'loading' };
    const view = pending.reduce((v, p) => previewOp(v, p.op, accountId, p.at, `pending-${p.id}`), confirmed);
    return { status: 'ready', view, busy: busy || pending.length > 0 };
  }, [accountId, busy, confirmed, errors, pending]);

  return [state, useMemo(() => ({ apply, restore, reload }), [apply, restore, reload])];
}
