/**
 * Open Conditional-Go decisions: their conditions and due date, with "mark met" for the gate's deciders and the PMO
 * and "lapse" for the gate's deciders (DecisionView.settle, from the authority table). Loaded only when such a
 * decision exists.
 */
import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import TextArea from '@atlaskit/textarea';
import { useState } from 'react';
import { type DecisionView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

interface Props {
  /** Every decision; only open Conditional-Gos (`settle` set) are shown. */
  readonly decisions: readonly DecisionView[];
  readonly names: ReadonlyMap<string, string | null>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

type LapseOutcome = 'RECYCLE' | 'KILL';

/** The reader's today as YYYY-MM-DD, to say whether the conditions are overdue. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

function LapseForm({ decision, apply }: { readonly decision: DecisionView; readonly apply: Props['apply'] }) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<LapseOutcome>('RECYCLE');
  const [rationale, setRationale] = useState('');
  const [saving, setSaving] = useState(false);
  const stage = decision.settle?.recycleToStage ?? '';
  return (
    <form
      className="add-form"
      aria-labelledby={`lapse-${decision.id}-heading`}
      onSubmit={(event) => {
        event.preventDefault();
        setSaving(true);
        void apply({ type: 'lapseConditionalGo', decisionId: decision.id, outcome, rationale: rationale.trim() }).then(
          () => setSaving(false),
        );
      }}
    >
      <h4 id={`lapse-${decision.id}-heading`}>{t('panel.conditions.lapseHeading')}</h4>
      <fieldset className="outcomes">
        <legend>{t('panel.conditions.lapseTo')}</legend>
        {(['RECYCLE', 'KILL'] as const).map((value) => (
          <label
            key={value}
            className={`outcome outcome-${value.toLowerCase()} ${outcome === value ? 'selected' : ''}`}
          >
            <input
              type="radio"
              name={`lapse-${decision.id}`}
              value={value}
              checked={outcome === value}
              onChange={() => setOutcome(value)}
            />
            {t(`param.outcome.${value}`)}
          </label>
        ))}
      </fieldset>
      <p className="warning-text">{t(`panel.conditions.consequence.${outcome}`, { stage })}</p>
      <div className="field-grid">
        <label htmlFor={`lapse-${decision.id}-rationale`}>{t('panel.decision.rationale')}</label>
        <TextArea
          id={`lapse-${decision.id}-rationale`}
          value={rationale}
          onChange={(e) => setRationale(e.currentTarget.value)}
          isRequired
          maxLength={2000}
          minimumRows={2}
        />
      </div>
      <div className="actions">
        <Button type="submit" appearance="danger" isDisabled={!rationale.trim()} isLoading={saving}>
          {t('panel.conditions.lapse', { outcome: t(`param.outcome.${outcome}`) })}
        </Button>
      </div>
    </form>
  );
}

/** Each open Conditional-Go with its conditions; deciders tick conditions off or lapse the decision. */
export default function ConditionalGo({ decisions, names, apply }: Props) {
  const { t, date } = useI18n();
  const [lapsing, setLapsing] = useState<string | null>(null);
  return (
    <>
      {decisions
        .filter((d) => d.settle !== null)
        .map((decision) => {
          const open = decision.conditions.filter((c) => !c.metAt).length;
          const overdue = open > 0 && decision.conditionsDueDate !== null && decision.conditionsDueDate < today();
          const canSettle = decision.settle?.canSettle ?? false;
          const canLapse = decision.settle?.canLapse ?? false;
          return (
            <SectionMessage
              key={decision.id}
              appearance={overdue ? 'warning' : 'information'}
              title={t('panel.conditions.title', { gate: decision.gateName })}
            >
              <p>
                {decision.conditionsDueDate
                  ? t(overdue ? 'panel.conditions.overdue' : 'panel.conditions.due', {
                      date: date(decision.conditionsDueDate),
                      open,
                    })
                  : t('panel.history.conditions')}
              </p>
              <ul className="conditions" aria-label={t('panel.history.conditions')}>
                {decision.conditions.map((condition) => (
                  <li key={condition.id} className="condition">
                    <span aria-hidden="true">{condition.metAt ? '✓ ' : '○ '}</span>
                    <span className="condition-text">{condition.text}</span>{' '}
                    <span className="subtle">
                      {condition.metAt
                        ? t('panel.conditions.metBy', {
                            name: condition.metBy ? (names.get(condition.metBy) ?? condition.metBy) : '—',
                            when: date(condition.metAt),
                          })
                        : t('panel.history.notMet')}
                    </span>
                    {!condition.metAt && canSettle && (
                      <Button
                        appearance="default"
                        aria-label={t('panel.conditions.markMetFor', { condition: condition.text })}
                        spacing="compact"
                        onClick={() =>
                          void apply({ type: 'meetCondition', decisionId: decision.id, conditionId: condition.id })
                        }
                      >
                        {t('panel.conditions.markMet')}
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
              {open === 0 && <p>{t('panel.conditions.allMet')}</p>}
              {canLapse && open > 0 && (
                <>
                  <Button
                    appearance="subtle"
                    aria-expanded={lapsing === decision.id}
                    onClick={() => setLapsing(lapsing === decision.id ? null : decision.id)}
                  >
                    {t('panel.conditions.lapseOpen')}
                  </Button>
                  {lapsing === decision.id && <LapseForm decision={decision} apply={apply} />}
                </>
              )}
              {!(canSettle && canLapse) && open > 0 && <p className="subtle">{t('panel.conditions.onlyDeciders')}</p>}
            </SectionMessage>
          );
        })}
    </>
  );
}
