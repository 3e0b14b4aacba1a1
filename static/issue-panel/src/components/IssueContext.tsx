import { events } from '@forge/bridge';
import { useEffect } from 'react';
import { useI18n } from '../../../common/src/useI18n';
import { PROJECT_CHANGED, type ProjectChanged, useProject } from '../useProject';
import { RagLozenge } from './RagLozenge';
import { LoadError, Loading } from './States';

/**
 * The issue context panel (`jira:issueContext`, in the issue view's right-hand column): overall RAG and stage at a
 * look, with what the gate still needs.
 */
export function IssueContext({ accountId }: { readonly accountId: string }) {
  const { t, date } = useI18n();
  const [state, actions] = useProject(accountId);
  const issueKey = state.status === 'ready' ? state.view.issue.key : null;
  const { reload } = actions;
  // The panel says when it changed this project; this panel then reads it again (events are app-wide, so the
  // issue key keeps a panel on another issue, in another tab of the page, from causing needless reloads).
  useEffect(() => {
    const subscription = events.on(PROJECT_CHANGED, (change?: ProjectChanged) => {
      if (!change || issueKey === null || change.issueKey === issueKey) reload();
      return Promise.resolve();
    });
    return () => {
      void subscription.then((s) => s.unsubscribe());
    };
  }, [issueKey, reload]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError errors={state.errors} onRetry={actions.reload} />;
  const { view } = state;
  if (!view.governance) return <p className="issue-context subtle">{t('panel.ungoverned.title')}</p>;
  const stage = view.template?.stages.find((s) => s.current);
  return (
    <dl className="issue-context">
      <dt>{t('panel.context.health')}</dt>
      <dd>
        <RagLozenge rag={view.health.overall} bold />
      </dd>
      <dt>{t('panel.context.stage')}</dt>
      <dd>{stage?.name ?? t(`param.status.${view.governance.status}`)}</dd>
      {view.currentGate && view.readiness && (
        <>
          <dt>{view.currentGate.name}</dt>
          <dd>
            {view.readiness.ready
              ? t('panel.readiness.ready')
              : t('panel.context.mustOpen', { count: view.readiness.mustOpen.length })}
          </dd>
        </>
      )}
      {view.governance.nextGateDate &&
        view.governance.status !== 'completed' &&
        view.governance.status !== 'killed' && (
          <>
            <dt>{t('panel.context.nextGate')}</dt>
            <dd>{date(view.governance.nextGateDate)}</dd>
          </>
        )}
    </dl>
  );
}
