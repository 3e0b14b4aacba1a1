/**
 * Puts an ungoverned project under a stage-gate template. Loaded only when a PMO lead opens an ungoverned project.
 * The choices are the server's (`ProjectPanelView.templates`: the newest version of each shipped and custom
 * template), so a template the PMO adds in settings shows up here without a new bundle.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { type TemplateOptionView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

/** The template offered first: Tollgate's Cooper stage-gate when present (DEFAULT_TEMPLATE_ID), else the first. */
const PREFERRED = 'cooper-stage-gate';

interface Props {
  readonly templates: readonly TemplateOptionView[];
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

export default function StartGovernance({ templates, apply }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState(() => (templates.find((tpl) => tpl.id === PREFERRED) ?? templates[0])?.id);
  const [nextGateDate, setNextGateDate] = useState('');
  const [saving, setSaving] = useState(false);
  const chosen = templates.find((tpl) => tpl.id === choice);
  if (templates.length === 0) return <p className="subtle">{t('panel.start.none')}</p>;
  return (
    <form
      className="add-form"
      aria-labelledby="start-heading"
      onSubmit={(event) => {
        event.preventDefault();
        if (!chosen) return;
        setSaving(true);
        void apply({
          type: 'startGovernance',
          templateId: chosen.id,
          templateVersion: chosen.version,
          ...(nextGateDate ? { nextGateDate } : {}),
        }).finally(() => setSaving(false));
      }}
    >
      <h4 id="start-heading">{t('panel.start.heading')}</h4>
      <fieldset className="template-choices">
        <legend>{t('panel.start.template')}</legend>
        {templates.map((tpl) => (
          <label key={tpl.id} className={`template-choice ${choice === tpl.id ? 'selected' : ''}`}>
            <input
              type="radio"
              name="start-template"
              value={tpl.id}
              checked={choice === tpl.id}
              onChange={() => setChoice(tpl.id)}
            />
            <span className="template-body">
              <span className="template-name">
                {tpl.name} <span className="subtle">v{tpl.version}</span>{' '}
                <Lozenge appearance={tpl.shipped ? 'default' : 'new'}>
                  {t(tpl.shipped ? 'panel.start.shipped' : 'panel.start.custom')}
                </Lozenge>
              </span>
              {tpl.description && <span className="subtle">{tpl.description}</span>}
              <span className="template-stages">
                {t('panel.start.stages', { stages: tpl.stages.map((s) => s.name).join(' → ') })}
              </span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field-grid">
        <label htmlFor="start-next">{t('panel.decision.nextGateDate')}</label>
        <Textfield
          id="start-next"
          type="date"
          value={nextGateDate}
          onChange={(e) => setNextGateDate(e.currentTarget.value)}
        />
      </div>
      <div className="actions">
        <Button type="submit" appearance="primary" isLoading={saving} isDisabled={!chosen}>
          {t('panel.start.button')}
        </Button>
      </div>
    </form>
  );
}
