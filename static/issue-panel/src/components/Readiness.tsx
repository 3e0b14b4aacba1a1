import Lozenge from '@atlaskit/lozenge';
import { type CurrentGateView, type ReadinessView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';

/** How ready the gate is: the weighted should-meet score against the pass mark, and the must-meets still open. */
export function Readiness({ readiness, gate }: { readonly readiness: ReadinessView; readonly gate: CurrentGateView }) {
  const { t } = useI18n();
  const percent = readiness.score === null ? null : Math.round(readiness.score * 100);
  const threshold = Math.round(readiness.threshold * 100);
  const open = readiness.mustOpen.map((id) => gate.criteria.find((c) => c.id === id)?.title ?? id);
  return (
    <section className="readiness" aria-labelledby="readiness-heading">
      <div className="row-between">
        <h3 id="readiness-heading">{t('panel.readiness.title')}</h3>
        <Lozenge appearance={readiness.ready ? 'success' : 'moved'} isBold>
          {t(readiness.ready ? 'panel.readiness.ready' : 'panel.readiness.notReady')}
        </Lozenge>
      </div>
      {percent === null ? (
        <p className="subtle">{t('panel.readiness.noScore')}</p>
      ) : (
        <>
          <div
            className="meter"
            role="meter"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent}
            aria-label={t('panel.readiness.meter', { score: percent, threshold })}
          >
            <div
              className={`meter-fill ${percent >= threshold ? 'meter-pass' : 'meter-short'}`}
              style={{ width: `${percent}%` }}
            />
            <div className="meter-mark" style={{ left: `${threshold}%` }} aria-hidden="true" />
          </div>
          <p className="subtle">{t('panel.readiness.meter', { score: percent, threshold })}</p>
        </>
      )}
      <p className={open.length ? 'warning-text' : 'subtle'}>
        {open.length
          ? t('panel.readiness.mustOpen', { count: open.length, items: open.join(', ') })
          : t('panel.readiness.mustMet')}
      </p>
    </section>
  );
}
