import { type CurrentGateView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';
import { ChecklistRow } from './ChecklistRow';

interface Props {
  readonly gate: CurrentGateView;
  readonly scoreMax: number;
  readonly canEdit: boolean;
  readonly names: ReadonlyMap<string, string | null>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

/** The current gate's criteria, must-meet first, as the gatekeepers read them. */
export function Checklist({ gate, scoreMax, canEdit, names, apply }: Props) {
  const { t } = useI18n();
  const ordered = [...gate.criteria].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'must' ? -1 : 1));
  return (
    <section aria-labelledby="checklist-heading">
      <h3 id="checklist-heading">{t('panel.checklist.title', { gate: gate.name })}</h3>
      {!canEdit && <p className="subtle">{t('panel.checklist.readOnly')}</p>}
      <ul className="checklist">
        {ordered.map((criterion) => (
          <ChecklistRow
            key={criterion.id}
            gateId={gate.id}
            criterion={criterion}
            scoreMax={scoreMax}
            canEdit={canEdit}
            names={names}
            apply={apply}
          />
        ))}
      </ul>
    </section>
  );
}
