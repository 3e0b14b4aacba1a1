import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

interface Props {
  readonly accountId: string;
  /** People the panel can name, for the owner picker; the viewer owns a new risk unless they choose otherwise. */
  readonly people: ReadonlyMap<string, string>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
  readonly onDone: () => void;
}

type Level = 1 | 2 | 3 | 4 | 5;
const LEVELS: readonly Level[] = [1, 2, 3, 4, 5];

/** Logs a risk: what could happen, whose it is, and how likely and how bad on the 5×5 matrix. */
export function AddRiskForm({ accountId, people, apply, onDone }: Props) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [owner, setOwner] = useState(accountId);
  const [likelihood, setLikelihood] = useState<Level>(3);
  const [impact, setImpact] = useState<Level>(3);
  const [review, setReview] = useState('');
  const ownerOptions = [...new Set([accountId, ...people.keys()])].map((id) => ({
    value: id,
    label: people.get(id) ?? id,
  }));
  const levelOptions = (kind: 'likelihood' | 'impact') =>
    LEVELS.map((value) => ({ value, label: `${value} – ${t(`panel.raid.${kind}Level.${value}`)}` }));

  return (
    <form
      className="add-form"
      aria-labelledby="add-risk-heading"
      onSubmit={(event) => {
        event.preventDefault();
        const op: PanelOp = {
          type: 'addRaidItem',
          item: {
            type: 'risk',
            title: title.trim(),
            owner,
            likelihood,
            impact,
            ...(review ? { nextReviewAt: review } : {}),
          },
        };
        onDone();
        void apply(op);
      }}
    >
      <h4 id="add-risk-heading">{t('panel.raid.addRisk')}</h4>
      <div className="field-grid">
        <label htmlFor="risk-title">{t('panel.raid.riskTitle')}</label>
        <Textfield
          id="risk-title"
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          isRequired
          maxLength={200}
        />
        <label htmlFor="risk-owner">{t('panel.raid.owner')}</label>
        <Select
          inputId="risk-owner"
          options={ownerOptions}
          value={ownerOptions.find((o) => o.value === owner) ?? null}
          onChange={(option) => option && setOwner(option.value)}
        />
        <label htmlFor="risk-likelihood">{t('panel.raid.likelihoodLabel')}</label>
        <Select
          inputId="risk-likelihood"
          options={levelOptions('likelihood')}
          value={levelOptions('likelihood').find((o) => o.value === likelihood) ?? null}
          onChange={(option) => option && setLikelihood(option.value)}
          isSearchable={false}
        />
        <label htmlFor="risk-impact">{t('panel.raid.impactLabel')}</label>
        <Select
          inputId="risk-impact"
          options={levelOptions('impact')}
          value={levelOptions('impact').find((o) => o.value === impact) ?? null}
          onChange={(option) => option && setImpact(option.value)}
          isSearchable={false}
        />
        <label htmlFor="risk-review">{t('panel.raid.nextReview')}</label>
        <Textfield id="risk-review" type="date" value={review} onChange={(e) => setReview(e.currentTarget.value)} />
      </div>
      <p className="subtle">{t('panel.raid.scorePreview', { score: likelihood * impact })}</p>
      <div className="actions">
        <Button type="submit" appearance="primary" isDisabled={!title.trim()}>
          {t('panel.raid.logRisk')}
        </Button>
        <Button appearance="subtle" onClick={onDone}>
          {t('panel.cancel')}
        </Button>
      </div>
    </form>
  );
}
