import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Lozenge from '@atlaskit/lozenge';
import Textfield from '@atlaskit/textfield';
import { lazy, Suspense, useState } from 'react';
import { type CriterionView } from '../../../../src/contract/issue-panel';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';

const ScoreSelect = lazy(() => import('./ScoreSelect'));

interface Props {
  readonly gateId: string;
  readonly criterion: CriterionView;
  readonly scoreMax: number;
  readonly canEdit: boolean;
  readonly names: ReadonlyMap<string, string | null>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

type Editing = null | 'na' | 'evidence';

/** One criterion of the gate: what it asks, its state and who set it when, and the controls to change it. */
export function ChecklistRow({ gateId, criterion, scoreMax, canEdit, names, apply }: Props) {
  const { t, dateTime } = useI18n();
  const [editing, setEditing] = useState<Editing>(null);
  const [naReason, setNaReason] = useState('');
  const [url, setUrl] = useState('');
  const [linkTitle, setLinkTitle] = useState('');
  const item = criterion.item;
  const state = item?.state ?? 'open';
  const evidence = item?.evidence ?? [];
  const fieldId = `criterion-${criterion.id}`;
  const base = { type: 'checkItem', gateId, criterionId: criterion.id } as const;
  const score = item?.score ?? undefined;

  /**
   * The item with these evidence links and as it stands otherwise. Adding a link to an open item ticks it (that is
   * what the evidence was gathered for); an item not applicable keeps its reason, which the reducer asks for again.
   */
  const withEvidence = (links: ReadonlyArray<{ readonly url: string; readonly title: string }>, tickIt: boolean) =>
    apply({
      ...base,
      state: state === 'na' ? 'na' : state === 'done' || tickIt ? 'done' : 'open',
      evidence: links.map((link) => ({ url: link.url, title: link.title })),
      ...(state === 'na' && item?.naReason ? { naReason: item.naReason } : {}),
      ...(score !== undefined && (state === 'done' || tickIt) ? { score } : {}),
    });

  const tick = (checked: boolean) => {
    if (checked && criterion.evidenceRequired && evidence.length === 0) {
      setEditing('evidence');
      return;
    }
    void apply({
      ...base,
      state: checked ? 'done' : 'open',
      ...(criterion.kind === 'should' && score !== undefined ? { score } : {}),
    });
  };

  return (
    <li className={`criterion criterion-${state}`}>
      <div className="criterion-main">
        {canEdit ? (
          <Checkbox
            id={fieldId}
            isChecked={state === 'done'}
            isDisabled={state === 'na'}
            onChange={(event) => tick(event.target.checked)}
            label={criterion.title}
          />
        ) : (
          <span className="criterion-title">
            <span aria-hidden="true" className="tick">
              {state === 'done' ? '✓' : state === 'na' ? '–' : '○'}
            </span>
            {criterion.title}
          </span>
        )}
        <span className="criterion-tags">
          <Lozenge appearance={criterion.kind === 'must' ? 'removed' : 'default'}>
            {t(criterion.kind === 'must' ? 'panel.checklist.must' : 'panel.checklist.should')}
          </Lozenge>
          {criterion.kind === 'should' && (
            <span className="subtle">{t('panel.checklist.weight', { weight: criterion.weight })}</span>
          )}
          {state === 'na' && <Lozenge appearance="inprogress">{t('panel.checklist.na')}</Lozenge>}
        </span>
      </div>
      <div className="criterion-detail">
        {criterion.evidenceHint && (
          <p className="subtle">
            {t(criterion.evidenceRequired ? 'panel.checklist.evidenceRequired' : 'panel.checklist.evidenceHint', {
              hint: criterion.evidenceHint,
            })}
          </p>
        )}
        {evidence.length > 0 && (
          <ul className="evidence">
            {evidence.map((link) => (
              <li key={link.url}>
                <a href={link.url} target="_blank" rel="noreferrer">
                  {link.title}
                </a>
                {canEdit && (
                  <Button
                    appearance="subtle"
                    spacing="compact"
                    onClick={() =>
                      void withEvidence(
                        evidence.filter((other) => other.url !== link.url),
                        false,
                      )
                    }
                  >
                    {t('panel.checklist.removeEvidence')}
                    <span className="visually-hidden"> {link.title}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {item?.naReason && <p className="subtle">{t('panel.checklist.naBecause', { reason: item.naReason })}</p>}
        {item && (
          <p className="subtle who">
            {t(`panel.checklist.by.${state}`, { name: names.get(item.by) ?? item.by, when: dateTime(item.at) })}
          </p>
        )}
        {canEdit && (
          <div className="criterion-actions">
            {criterion.kind === 'should' && state !== 'na' && (
              <div className="score">
                <label htmlFor={`${fieldId}-score`}>{t('panel.checklist.score', { max: scoreMax })}</label>
                <Suspense fallback={<span className="score-select">{score ?? '–'}</span>}>
                  <ScoreSelect
                    inputId={`${fieldId}-score`}
                    scoreMax={scoreMax}
                    score={score}
                    onScore={(value) => void apply({ ...base, state: 'done', score: value })}
                  />
                </Suspense>
              </div>
            )}
            {state === 'na' ? (
              <Button appearance="subtle" onClick={() => void apply({ ...base, state: 'open' })}>
                {t('panel.checklist.applies')}
              </Button>
            ) : (
              <Button
                appearance="subtle"
                onClick={() => setEditing(editing === 'na' ? null : 'na')}
                aria-expanded={editing === 'na'}
              >
                {t('panel.checklist.markNa')}
              </Button>
            )}
            <Button
              appearance="subtle"
              onClick={() => setEditing(editing === 'evidence' ? null : 'evidence')}
              aria-expanded={editing === 'evidence'}
            >
              {t('panel.checklist.addEvidence')}
            </Button>
          </div>
        )}
        {editing === 'na' && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void apply({ ...base, state: 'na', naReason: naReason.trim() }).then((ok) => ok && setEditing(null));
            }}
          >
            <label htmlFor={`${fieldId}-na`}>{t('panel.checklist.naReason')}</label>
            <Textfield
              id={`${fieldId}-na`}
              value={naReason}
              onChange={(e) => setNaReason(e.currentTarget.value)}
              isRequired
            />
            <Button type="submit" appearance="primary" isDisabled={!naReason.trim()}>
              {t('panel.checklist.saveNa')}
            </Button>
          </form>
        )}
        {editing === 'evidence' && (
          <form
            className="inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              void withEvidence([...evidence, { url: url.trim(), title: linkTitle.trim() }], true).then((ok) => {
                if (!ok) return;
                setEditing(null);
                setUrl('');
                setLinkTitle('');
              });
            }}
          >
            <label htmlFor={`${fieldId}-url`}>{t('panel.checklist.evidenceUrl')}</label>
            <Textfield
              id={`${fieldId}-url`}
              type="url"
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              isRequired
              placeholder="https://"
            />
            <label htmlFor={`${fieldId}-link`}>{t('panel.checklist.evidenceTitle')}</label>
            <Textfield
              id={`${fieldId}-link`}
              value={linkTitle}
              onChange={(e) => setLinkTitle(e.currentTarget.value)}
              isRequired
            />
            <Button
              type="submit"
              appearance="primary"
              isDisabled={!/^https?:\/\/\S+$/.test(url.trim()) || !linkTitle.trim()}
            >
              {t('panel.checklist.saveEvidence')}
            </Button>
          </form>
        )}
      </div>
    </li>
  );
}
