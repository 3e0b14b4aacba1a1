import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { type CurrentGateView, type ReadinessView } from '../../../../src/contract/issue-panel';
import { type GateOutcome } from '../../../../src/domain/gates';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

const OUTCOMES: readonly GateOutcome[] = ['GO', 'CONDITIONAL_GO', 'HOLD', 'RECYCLE', 'KILL'];

interface Props {
  readonly gate: CurrentGateView;
  readonly readiness: ReadinessView | null;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

/** The gatekeepers' decision on the current gate. Offered only to the gate's deciders (`viewer.canDecide`). */
export default function DecisionForm({ gate, readiness, apply }: Props) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<GateOutcome>('GO');
  const [rationale, setRationale] = useState('');
  const [conditions, setConditions] = useState('');
  const [dueDate, setDueDate] = useState('');
  const [nextGateDate, setNextGateDate] = useState('');
  const [override, setOverride] = useState('');
  const [saving, setSaving] = useState(false);
  // What was last recorded, said until the next change to the form: the gate may have moved on under it.
  const [recorded, setRecorded] = useState<{ readonly outcome: GateOutcome; readonly gate: string } | null>(null);
  const goes = outcome === 'GO' || outcome === 'CONDITIONAL_GO';
  const needsOverride = goes && readiness !== null && !readiness.ready;
  const conditionList = conditions
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const complete =
    rationale.trim() !== '' &&
    (outcome !== 'CONDITIONAL_GO' || (conditionList.length > 0 && dueDate !== '')) &&
    (!needsOverride || override.trim() !== '');

  const submit = async () => {
    setSaving(true);
    const ok = await apply({
      type: 'decideGate',
      gateId: gate.id,
      outcome,
      rationale: rationale.trim(),
      conditions: outcome === 'CONDITIONAL_GO' ? conditionList : [],
      ...(outcome === 'CONDITIONAL_GO' && dueDate ? { conditionsDueDate: dueDate } : {}),
      ...(nextGateDate && outcome !== 'KILL' ? { nextGateDate } : {}),
      ...(needsOverride ? { overrideReason: override.trim() } : {}),
    });
    setSaving(false);
    if (ok) {
      // A fresh form for the next decision, and a word on what was recorded.
      setRecorded({ outcome, gate: gate.name });
      setOutcome('GO');
      setRationale('');
      setConditions('');
      setDueDate('');
      setNextGateDate('');
      setOverride('');
    }
  };

  return (
    <form
      className="decision-form"
      aria-labelledby="decision-heading"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id="decision-heading">{t('panel.decision.title', { gate: gate.name })}</h3>
      <div role="status" data-testid="decision-recorded">
        {recorded && (
          <SectionMessage appearance="success">
            <p>{t('panel.decision.recorded', { outcome: recorded.outcome, gate: recorded.gate })}</p>
          </SectionMessage>
        )}
      </div>
      <fieldset className="outcomes">
        <legend>{t('panel.decision.outcome')}</legend>
        {OUTCOMES.map((value) => (
          <label
            key={value}
            className={`outcome outcome-${value.toLowerCase()} ${outcome === value ? 'selected' : ''}`}
          >
            <input
              type="radio"
              name="outcome"
              value={value}
              checked={outcome === value}
              onChange={() => {
                setOutcome(value);
                setRecorded(null);
              }}
            />
            {t(`param.outcome.${value}`)}
          </label>
        ))}
      </fieldset>
      <p className="subtle">{t(`panel.decision.means.${outcome}`)}</p>
      {outcome === 'CONDITIONAL_GO' && (
        <div className="field-grid">
          <label htmlFor="decision-conditions">{t('panel.decision.conditions')}</label>
          <TextArea
            id="decision-conditions"
            value={conditions}
            onChange={(e) => setConditions(e.currentTarget.value)}
            minimumRows={2}
          />
          <label htmlFor="decision-due">{t('panel.decision.conditionsDue')}</label>
          <Textfield
            id="decision-due"
            type="date"
            value={dueDate}
            onChange={(e) => setDueDate(e.currentTarget.value)}
          />
        </div>
      )}
      {needsOverride && (
        <div className="field-grid">
          <label htmlFor="decision-override">{t('panel.decision.override')}</label>
          <Textfield id="decision-override" value={override} onChange={(e) => setOverride(e.currentTarget.value)} />
        </div>
      )}
      <div className="field-grid">
        <label htmlFor="decision-rationale">{t('panel.decision.rationale')}</label>
        <TextArea
          id="decision-rationale"
          value={rationale}
          onChange={(e) => {
            setRationale(e.currentTarget.value);
            setRecorded(null);
          }}
          minimumRows={3}
          isRequired
        />
        {outcome !== 'KILL' && (
          <>
            <label htmlFor="decision-next">{t('panel.decision.nextGateDate')}</label>
            <Textfield
              id="decision-next"
              type="date"
              value={nextGateDate}
              onChange={(e) => setNextGateDate(e.currentTarget.value)}
            />
          </>
        )}
      </div>
      <div className="actions">
        <Button
          type="submit"
          appearance={outcome === 'KILL' ? 'danger' : 'primary'}
          isDisabled={!complete}
          isLoading={saving}
        >
          {t('panel.decision.record', { outcome })}
        </Button>
        {!complete && <span className="subtle">{t('panel.decision.incomplete')}</span>}
      </div>
    </form>
  );
}
