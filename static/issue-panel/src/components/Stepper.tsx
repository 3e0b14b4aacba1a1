import { type TemplateSummaryView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';

/** The template's stages as a stepper: done, current, to come. An ordered list, so screen readers count the steps. */
export function Stepper({ template }: { readonly template: TemplateSummaryView }) {
  const { t } = useI18n();
  const current = template.stages.findIndex((stage) => stage.current);
  return (
    <ol className="stepper" aria-label={t('panel.stages.label', { template: template.name })}>
      {template.stages.map((stage, index) => {
        const state = index < current ? 'done' : index === current ? 'current' : 'todo';
        return (
          <li key={stage.id} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="step-dot" aria-hidden="true">
              {state === 'done' ? '✓' : index + 1}
            </span>
            <span className="step-name">{stage.name}</span>
            <span className="visually-hidden">{t(`panel.stages.${state}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
