import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { lazy, Suspense } from 'react';
import { type ProjectPanelView } from '../../../../src/contract/issue-panel';
import { WithTerms } from '../../../common/src/WithTerms';
import { useI18n } from '../../../common/src/useI18n';
import { useUserNames } from '../../../common/src/useUserNames';
import { useProject } from '../useProject';
import { Checklist } from './Checklist';
import { IntegrityBanner } from './IntegrityBanner';
import { RagLozenge } from './RagLozenge';
import { Readiness } from './Readiness';
import { LoadError, Loading } from './States';
import { Stepper } from './Stepper';

// Not on the first paint (the gate tab's checklist is): each loads when first shown, keeping the main bundle small.
const StartGovernance = lazy(() => import('./StartGovernance'));
const RaidLog = lazy(() => import('./RaidLog'));
const DecisionHistory = lazy(() => import('./DecisionHistory'));
const DecisionForm = lazy(() => import('./DecisionForm'));
const ConditionalGo = lazy(() => import('./ConditionalGo'));
const HealthSection = lazy(() => import('./HealthSection'));

/** Everyone the panel may name: whoever ticked, decided, owns or owned, or restored something here. */
function peopleIn(view: ProjectPanelView, viewer: string): string[] {
  return [
    viewer,
    ...(view.currentGate?.criteria.flatMap((c) => (c.item ? [c.item.by] : [])) ?? []),
    ...view.decisions.flatMap((d) => [
      d.decidedBy,
      ...d.conditions.flatMap((c) => (c.metBy ? [c.metBy] : [])),
      ...(d.ownership?.stage ?? []),
    ]),
    ...Object.values(view.raid).flatMap((items) =>
      items.flatMap((item) => [
        item.owner,
        ...(item.closedBy ? [item.closedBy] : []),
        ...(item.type === 'decision' ? [item.approver] : []),
      ]),
    ),
    ...(view.integrity.lastGenuine ? [view.integrity.lastGenuine.by] : []),
  ];
}

/** The issue panel: a project's stage, gate checklist, decisions, RAID log and health. */
export function Panel({ accountId }: { readonly accountId: string }) {
  const { t, date } = useI18n();
  const [state, actions] = useProject(accountId);
  const names = useUserNames(state.status === 'ready' ? peopleIn(state.view, accountId) : [accountId]);
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError errors={state.errors} onRetry={actions.reload} />;
  const { view, busy } = state;
  const { viewer, governance, template, currentGate, readiness } = view;

  const banner = (
    <IntegrityBanner
      integrity={view.integrity}
      canRestore={viewer.canRestore}
      busy={busy}
      names={names}
      onRestore={() => void actions.restore()}
    />
  );

  // Tollgate governs registry projects only: elsewhere the panel says so instead of offering changes that would be
  // refused (a record kept from when the issue was in the registry is still shown, read-only).
  const unregistered = !view.inRegistry && (
    <SectionMessage appearance="information" title={t('panel.unregistered.title')}>
      <p>{t('panel.unregistered.body')}</p>
      {governance && <p>{t('panel.unregistered.record')}</p>}
    </SectionMessage>
  );

  if (!governance) {
    if (unregistered) return <div className="panel">{unregistered}</div>;
    return (
      <div className="panel">
        {banner}
        {view.integrity.status !== 'damaged' && (
          <SectionMessage appearance="discovery" title={t('panel.ungoverned.title')}>
            <p>{t(viewer.canRestore ? 'panel.ungoverned.pmo' : 'panel.ungoverned.ask')}</p>
            {viewer.canRestore && (
              <Suspense fallback={<Loading />}>
                <StartGovernance templates={view.templates} apply={actions.apply} />
              </Suspense>
            )}
          </SectionMessage>
        )}
      </div>
    );
  }

  // Its health reasons name the template's gates and stages in the reader's language too.
  return (
    <WithTerms terms={view.terms}>
      <div className="panel" aria-busy={busy}>
        {banner}
        {unregistered}
        <header className="panel-header">
          <div className="row-between">
            <span className="header-facts">
              <RagLozenge rag={view.health.overall} bold />
              <Lozenge appearance={governance.status === 'active' ? 'inprogress' : 'default'}>
                {t(`param.status.${governance.status}`)}
              </Lozenge>
              {governance.status !== 'completed' && governance.status !== 'killed' && (
                <span className="subtle">
                  {governance.nextGateDate
                    ? t('panel.nextGate', { date: date(governance.nextGateDate) })
                    : t('panel.noNextGate')}
                </span>
              )}
            </span>
            <span className="subtle">
              {template ? t('panel.template', { name: template.name, version: template.version }) : ''}
            </span>
          </div>
          {template ? <Stepper template={template} /> : <p className="warning-text">{t('panel.templateMissing')}</p>}
        </header>
        <Tabs id="panel-tabs">
          <TabList>
            <Tab>{t('panel.tab.gate')}</Tab>
            <Tab>{t('panel.tab.raid')}</Tab>
            <Tab>{t('panel.tab.health')}</Tab>
            <Tab>{t('panel.tab.decisions', { count: view.decisions.length })}</Tab>
          </TabList>
          <TabPanel>
            <div className="tab-body">
              {view.decisions.some((d) => d.settle !== null) && (
                <Suspense fallback={<Loading />}>
                  <ConditionalGo decisions={view.decisions} names={names} apply={actions.apply} />
                </Suspense>
              )}
              {currentGate && template ? (
                <>
                  {readiness && <Readiness readiness={readiness} gate={currentGate} />}
                  <Checklist
                    gate={currentGate}
                    scoreMax={template.scoreMax}
                    canEdit={viewer.canEdit}
                    names={names}
                    apply={actions.apply}
                  />
                  {viewer.canDecide ? (
                    <Suspense fallback={<Loading />}>
                      <DecisionForm gate={currentGate} readiness={readiness} apply={actions.apply} />
                    </Suspense>
                  ) : (
                    <p className="subtle">
                      {t('panel.decision.whoDecides', { deciders: currentGate.deciders.join(', ') })}
                    </p>
                  )}
                </>
              ) : (
                <p className="empty">{t('panel.noGate')}</p>
              )}
            </div>
          </TabPanel>
          <TabPanel>
            <div className="tab-body">
              <Suspense fallback={<Loading />}>
                <RaidLog
                  raid={view.raid}
                  riskBands={view.riskBands}
                  canEdit={viewer.canEdit}
                  accountId={accountId}
                  names={names}
                  apply={actions.apply}
                />
              </Suspense>
            </div>
          </TabPanel>
          <TabPanel>
            <div className="tab-body">
              <Suspense fallback={<Loading />}>
                <HealthSection health={view.health} />
              </Suspense>
            </div>
          </TabPanel>
          <TabPanel>
            <div className="tab-body">
              <Suspense fallback={<Loading />}>
                <DecisionHistory decisions={view.decisions} names={names} />
              </Suspense>
            </div>
          </TabPanel>
        </Tabs>
      </div>
    </WithTerms>
  );
}
