/**
 * Puts an ungoverned project under a stage-gate template. Loaded only when a PMO lead opens an ungoverned project:
 * the template list comes from the domain (with its schemas), which the rest of the panel does not need.
 */
import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { DEFAULT_TEMPLATE_ID, DEFAULT_TEMPLATES } from '../../../../src/domain/default-templates';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

export default function StartGovernance({ apply }: { readonly apply: (op: PanelOp) => Promise<boolean> }) {
  const { t } = useI18n();
  const options = DEFAULT_TEMPLATES.map((tpl) => ({ value: tpl, label: `${tpl.name} (v${tpl.version})` }));
  const [choice, setChoice] = useState(options.find((o) => o.value.id === DEFAULT_TEMPLATE_ID) ?? options[0]);
  const [nextGateDate, setNextGateDate] = useState('');
  const [saving, setSaving] = useState(false);
  return (
    <form
      className="add-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!choice) return;
        setSaving(true);
        void apply({
          type: 'startGovernance',
          templateId: choice.value.id,
          templateVersion: choice.value.version,
          ...(nextGateDate ? { nextGateDate } : {}),
        }).finally(() => setSaving(false));
      }}
    >
      <div className="field-grid">
        <label htmlFor="start-template">{t('panel.start.template')}</label>
        <Select inputId="start-template" options={options} value={choice} onChange={(o) => o && setChoice(o)} />
        <label htmlFor="start-next">{t('panel.decision.nextGateDate')}</label>
        <Textfield
          id="start-next"
          type="date"
          value={nextGateDate}
          onChange={(e) => setNextGateDate(e.currentTarget.value)}
        />
      </div>
      <div className="actions">
        <Button type="submit" appearance="primary" isLoading={saving}>
          {t('panel.start.button')}
        </Button>
      </div>
    </form>
  );
}
