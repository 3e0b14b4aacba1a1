import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { type ProjectPanelView, type RaidItemView, type RiskScoreView } from '../../../../src/contract/issue-panel';
import { type RaidType } from '../../../../src/domain/raid';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';
import { AddRiskForm } from './AddRiskForm';

const TYPES: readonly RaidType[] = ['risk', 'assumption', 'issue', 'dependency', 'decision'];
const BAND = { low: 'success', moderate: 'new', high: 'moved', extreme: 'removed' } as const;

interface Props {
  readonly raid: ProjectPanelView['raid'];
  readonly canEdit: boolean;
  readonly accountId: string;
  readonly names: ReadonlyMap<string, string>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

function Score({ score, label }: { readonly score: RiskScoreView; readonly label: string }) {
  const { t } = useI18n();
  return (
    <span title={label}>
      <Lozenge appearance={BAND[score.band]}>
        {score.score} {t(`panel.raid.band.${score.band}`)}
      </Lozenge>
    </span>
  );
}

/** What a row says beyond title and owner, by type. */
function Facts({ item }: { readonly item: RaidItemView }) {
  const { t, date } = useI18n();
  switch (item.type) {
    case 'risk':
      return (
        <span className="facts">
          <Score score={item.inherent} label={t('panel.raid.inherent')} />
          <span aria-hidden="true">→</span>
          <Score score={item.residual} label={t('panel.raid.residual')} />
          <span className="visually-hidden">
            {t('panel.raid.inherentResidual', { inherent: item.inherent.score, residual: item.residual.score })}
          </span>
        </span>
      );
    case 'assumption':
      return <span className="facts subtle">{t(`panel.raid.validation.${item.validation}`)}</span>;
    case 'issue':
      return (
        <span className="facts subtle">
          {t(`panel.raid.severity.${item.severity}`)}
          {item.dueDate ? ` · ${t('panel.raid.due', { date: date(item.dueDate) })}` : ''}
        </span>
      );
    case 'dependency':
      return (
        <span className="facts subtle">
          {t(`param.direction.${item.direction}`)} · {item.counterpartyKey} ·{' '}
          {t(`panel.raid.delivery.${item.deliveryStatus}`)}
        </span>
      );
    case 'decision':
      return <span className="facts subtle">{date(item.decidedAt)}</span>;
  }
}

function Row({ item, canEdit, names, apply }: Omit<Props, 'raid' | 'accountId'> & { readonly item: RaidItemView }) {
  const { t, date } = useI18n();
  const [closing, setClosing] = useState(false);
  const [note, setNote] = useState('');
  const pending = item.id.startsWith('pending-');
  return (
    <li className={`raid-item raid-${item.status}`}>
      <div className="raid-line">
        <span className="raid-id">{pending ? '…' : item.id}</span>
        <span className="raid-title">{item.title}</span>
        <Facts item={item} />
        <span className="subtle">{names.get(item.owner) ?? item.owner}</span>
        {item.nextReviewAt && (
          <span className="subtle">{t('panel.raid.review', { date: date(item.nextReviewAt) })}</span>
        )}
        {item.status === 'closed' ? (
          <Lozenge>{t('panel.raid.closed')}</Lozenge>
        ) : (
          canEdit &&
          !pending && (
            <Button appearance="subtle" onClick={() => setClosing(!closing)} aria-expanded={closing}>
              {t('panel.raid.close')}
              <span className="visually-hidden"> {item.id}</span>
            </Button>
          )
        )}
      </div>
      {closing && (
        <form
          className="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            setClosing(false);
            void apply({ type: 'closeRaidItem', id: item.id, note: note.trim() });
          }}
        >
          <label htmlFor={`close-${item.id}`}>{t('panel.raid.closeNote')}</label>
          <Textfield id={`close-${item.id}`} value={note} onChange={(e) => setNote(e.currentTarget.value)} isRequired />
          <Button type="submit" appearance="primary" isDisabled={!note.trim()}>
            {t('panel.raid.confirmClose', { id: item.id })}
          </Button>
        </form>
      )}
    </li>
  );
}

/** The RAID log, a tab per type, open items first; risks can be logged here and any item closed with a note. */
export function RaidLog({ raid, canEdit, accountId, names, apply }: Props) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  return (
    <Tabs id="raid-tabs">
      <TabList>
        {TYPES.map((type) => (
          <Tab key={type}>
            {t(`panel.raid.type.${type}`)} ({raid[type].filter((item) => item.status === 'open').length})
          </Tab>
        ))}
      </TabList>
      {TYPES.map((type) => {
        const items = [...raid[type]].sort((a, b) => (a.status === b.status ? 0 : a.status === 'open' ? -1 : 1));
        return (
          <TabPanel key={type}>
            <div className="tab-body">
              {type === 'risk' && canEdit && !adding && (
                <Button appearance="primary" onClick={() => setAdding(true)}>
                  {t('panel.raid.addRisk')}
                </Button>
              )}
              {type === 'risk' && adding && (
                <AddRiskForm accountId={accountId} people={names} apply={apply} onDone={() => setAdding(false)} />
              )}
              {items.length === 0 ? (
                <p className="empty">{t(`panel.raid.empty.${type}`)}</p>
              ) : (
                <ul className="raid-list">
                  {items.map((item) => (
                    <Row key={item.id} item={item} canEdit={canEdit} names={names} apply={apply} />
                  ))}
                </ul>
              )}
            </div>
          </TabPanel>
        );
      })}
    </Tabs>
  );
}
