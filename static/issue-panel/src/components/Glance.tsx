import { useI18n } from '../../../common/src/useI18n';
import { useProject } from '../useProject';
import { RagLozenge } from './RagLozenge';
import { LoadError, Loading } from './States';

/** The issue glance: overall RAG and stage at a look, with what the gate still needs. */
export function Glance({ accountId }: { readonly accountId: string }) {
  const { t, date } = useI18n();
  const [state, actions] = useProject(accountId);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError errors={state.errors} onRetry={actions.reload} />;
  const { view } = state;
  if (!view.governance) return <p className="glance subtle">{t('panel.ungoverned.title')}</p>;
  const stage = view.template?.stages.find((s) => s.current);
  return (
    <dl className="glance">
      <dt>{t('panel.glance.health')}</dt>
      <dd>
        <RagLozenge rag={view.health.overall} bold />
      </dd>
      <dt>{t('panel.glance.stage')}</dt>
      <dd>{stage?.name ?? t(`param.status.${view.governance.status}`)}</dd>
      {view.currentGate && view.readiness && (
        <>
          <dt>{view.currentGate.name}</dt>
          <dd>
            {view.readiness.ready
              ? t('panel.readiness.ready')
              : t('panel.glance.mustOpen', { count: view.readiness.mustOpen.length })}
          </dd>
        </>
      )}
      {view.governance.nextGateDate && (
        <>
          <dt>{t('panel.glance.nextGate')}</dt>
          <dd>{date(view.governance.nextGateDate)}</dd>
        </>
      )}
    </dl>
  );
}
