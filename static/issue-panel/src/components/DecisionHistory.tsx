import Lozenge from '@atlaskit/lozenge';
import { type DecisionView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';

const APPEARANCE = {
  GO: 'success',
  CONDITIONAL_GO: 'inprogress',
  HOLD: 'moved',
  RECYCLE: 'new',
  KILL: 'removed',
} as const;

/**
 * Who owned the project when it was decided. A project that changed hands during the stage shows every owner, so a
 * reviewer sees a reassignment made just before a decision (docs/pmo-rules.md, separation of duties).
 */
function Ownership({
  ownership,
  names,
}: {
  readonly ownership: DecisionView['ownership'];
  readonly names: ReadonlyMap<string, string | null>;
}) {
  const { t } = useI18n();
  if (!ownership) return null;
  const name = (accountId: string) => names.get(accountId) ?? accountId;
  if (ownership.stage.length > 1) {
    return (
      <p className="warning-text">
        {t('panel.history.ownersDuringStage', {
          owners: ownership.stage.map(name).join(' → '),
          owner: ownership.owner ? name(ownership.owner) : t('panel.history.noOwner'),
        })}
      </p>
    );
  }
  return (
    <p className="subtle">
      {t('panel.history.owner', { owner: ownership.owner ? name(ownership.owner) : t('panel.history.noOwner') })}
    </p>
  );
}

/** Every gate decision, newest first, with its conditions, its owner and any override kept for audit. */
export default function DecisionHistory({
  decisions,
  names,
}: {
  readonly decisions: readonly DecisionView[];
  readonly names: ReadonlyMap<string, string | null>;
}) {
  const { t, date, dateTime } = useI18n();
  if (decisions.length === 0) return <p className="empty">{t('panel.history.empty')}</p>;
  return (
    <ol className="history">
      {decisions.map((decision) => (
        <li key={decision.id}>
          <div className="row-between">
            <span>
              <Lozenge appearance={APPEARANCE[decision.outcome]} isBold>
                {t(`param.outcome.${decision.outcome}`)}
              </Lozenge>{' '}
              <strong>{decision.gateName}</strong>
            </span>
            <span className="subtle">
              {t('panel.history.by', {
                name: names.get(decision.decidedBy) ?? decision.decidedBy,
                when: dateTime(decision.decidedAt),
              })}
            </span>
          </div>
          <p>{decision.rationale}</p>
          {decision.conditions.length > 0 && (
            <>
              <p className="subtle">
                {decision.conditionsDueDate
                  ? t('panel.history.conditionsDue', { date: date(decision.conditionsDueDate) })
                  : t('panel.history.conditions')}
              </p>
              <ul className="conditions">
                {decision.conditions.map((condition) => (
                  <li key={condition.id}>
                    <span aria-hidden="true">{condition.metAt ? '✓ ' : '○ '}</span>
                    {condition.text}{' '}
                    <span className="subtle">
                      {condition.metAt
                        ? t('panel.history.met', { when: date(condition.metAt) })
                        : t('panel.history.notMet')}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {decision.overrideReason && (
            <p className="warning-text">{t('panel.history.override', { reason: decision.overrideReason })}</p>
          )}
          <Ownership ownership={decision.ownership} names={names} />
          {decision.lapsedTo && (
            <p className="warning-text">
              {t('panel.history.lapsed', { outcome: t(`param.outcome.${decision.lapsedTo}`) })}
              {decision.lapsedRationale ? ` ${decision.lapsedRationale}` : ''}
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
