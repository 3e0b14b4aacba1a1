/**
 * The RAID log, loaded when its tab is first opened: a tab per type with add, edit and close forms, and the
 * project's 5×5 risk matrix above the risks.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import TextArea from '@atlaskit/textarea';
import { useState } from 'react';
import { type ProjectPanelView, type RaidItemView, type RiskScoreView } from '../../../../src/contract/issue-panel';
import { type RaidType } from '../../../../src/domain/raid';
import { type ScoreBasis } from '../../../../src/domain/risk';
import { BandBadge } from '../../../common/src/RiskBands';
import { useI18n } from '../../../common/src/useI18n';
import { type MatrixCell, risksInCell, type RiskView } from '../matrix';
import { type PanelOp } from '../optimistic';
import { openFirst } from '../raid-model';
import { RaidItemForm } from './RaidItemForm';
import { RiskMatrix } from './RiskMatrix';

/** The domain's RAID_TYPES, spelt out so the domain's schemas stay out of the browser bundle. */
const RAID_TYPES: readonly RaidType[] = ['risk', 'assumption', 'issue', 'dependency', 'decision'];
interface Props {
  readonly raid: ProjectPanelView['raid'];
  readonly riskBands: ProjectPanelView['riskBands'];
  readonly canEdit: boolean;
  readonly accountId: string;
  readonly names: ReadonlyMap<string, string | null>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
}

function Score({ score, label }: { readonly score: RiskScoreView; readonly label: string }) {
  return (
    <span title={label}>
      <BandBadge band={score.band}>{score.score}</BandBadge>
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
      return (
        <span className="facts subtle">
          {t(`panel.raid.validation.${item.validation}`)} ·{' '}
          {t('panel.raidlog.sensitivityFact', { value: t(`panel.raidlog.choice.sensitivity.${item.sensitivity}`) })}
          {item.validateBy ? ` · ${t('panel.raidlog.validateByFact', { date: date(item.validateBy) })}` : ''}
        </span>
      );
    case 'issue':
      return (
        <span className="facts subtle">
          {t(`panel.raid.severity.${item.severity}`)} · {t(`panel.raidlog.choice.priority.${item.priority}`)}
          {item.dueDate ? ` · ${t('panel.raid.due', { date: date(item.dueDate) })}` : ''}
        </span>
      );
    case 'dependency':
      return (
        <span className="facts subtle">
          {t(`param.direction.${item.direction}`)} · {item.counterpartyKey} ·{' '}
          {t(`panel.raid.delivery.${item.deliveryStatus}`)}
          {item.neededBy ? ` · ${t('panel.raidlog.neededByFact', { date: date(item.neededBy) })}` : ''}
        </span>
      );
    case 'decision':
      return <span className="facts subtle">{date(item.decidedAt)}</span>;
  }
}

/** The detail line under a row: what is being done about it, or why it was closed. */
function Detail({ item, names }: { readonly item: RaidItemView; readonly names: ReadonlyMap<string, string | null> }) {
  const { t, date } = useI18n();
  if (item.status === 'closed') {
    return (
      <p className="raid-detail subtle">
        {t('panel.raidlog.closedBy', {
          name: item.closedBy ? (names.get(item.closedBy) ?? item.closedBy) : '—',
          when: item.closedAt ? date(item.closedAt) : '—',
          note: item.closeNote ?? '',
        })}
      </p>
    );
  }
  const line =
    item.type === 'risk'
      ? item.mitigation
      : item.type === 'issue'
        ? item.resolution
        : item.type === 'decision'
          ? item.statement
          : item.description;
  return line ? <p className="raid-detail subtle">{line}</p> : null;
}

type Open = 'edit' | 'close' | 'reopen' | null;

function Row({
  item,
  canEdit,
  names,
  accountId,
  apply,
}: Omit<Props, 'raid' | 'riskBands'> & { readonly item: RaidItemView }) {
  const { t, date } = useI18n();
  const [open, setOpen] = useState<Open>(null);
  const pending = item.id.startsWith('pending-');
  const toggle = (what: Exclude<Open, null>) => setOpen(open === what ? null : what);
  return (
    <li className={`raid-item raid-${item.status}`} data-raid-id={item.id}>
      <div className="raid-line">
        <span className="raid-id">{pending ? '…' : item.id}</span>
        <span className="raid-title">{item.title}</span>
        <Facts item={item} />
        <span className="subtle">{names.get(item.owner) ?? item.owner}</span>
        {item.nextReviewAt && item.status === 'open' && (
          <span className="subtle">{t('panel.raid.review', { date: date(item.nextReviewAt) })}</span>
        )}
        {item.status === 'closed' ? (
          <span className="row-actions">
            <Lozenge>{t('panel.raid.closed')}</Lozenge>
            {/* Closed too soon, or the risk came back: reopening keeps its history and says why. */}
            {canEdit && !pending && (
              <Button appearance="subtle" onClick={() => toggle('reopen')} aria-expanded={open === 'reopen'}>
                {t('panel.raid.reopen')}
                <span className="visually-hidden"> {item.id}</span>
              </Button>
            )}
          </span>
        ) : (
          canEdit &&
          !pending && (
            <span className="row-actions">
              <Button appearance="subtle" onClick={() => toggle('edit')} aria-expanded={open === 'edit'}>
                {t('panel.raidlog.edit')}
                <span className="visually-hidden"> {item.id}</span>
              </Button>
              <Button appearance="subtle" onClick={() => toggle('close')} aria-expanded={open === 'close'}>
                {t('panel.raid.close')}
                <span className="visually-hidden"> {item.id}</span>
              </Button>
            </span>
          )
        )}
      </div>
      <Detail item={item} names={names} />
      {open === 'edit' && (
        <RaidItemForm
          type={item.type}
          item={item}
          accountId={accountId}
          people={names}
          apply={apply}
          onDone={() => setOpen(null)}
        />
      )}
      {open === 'close' && (
        <NoteForm
          id={`close-${item.id}`}
          label={t(`panel.raidlog.closeNote.${item.type}`)}
          confirm={t('panel.raid.confirmClose', { id: item.id })}
          onCancel={() => setOpen(null)}
          onSubmit={(note) => {
            setOpen(null);
            void apply({ type: 'closeRaidItem', id: item.id, note });
          }}
        />
      )}
      {open === 'reopen' && (
        <NoteForm
          id={`reopen-${item.id}`}
          label={t('panel.raid.reopenReason')}
          confirm={t('panel.raid.confirmReopen', { id: item.id })}
          onCancel={() => setOpen(null)}
          onSubmit={(reason) => {
            setOpen(null);
            void apply({ type: 'reopenRaidItem', id: item.id, reason });
          }}
        />
      )}
    </li>
  );
}

/** Why an item is closed or reopened: a required note, then the confirming button (or cancel). */
function NoteForm({
  id,
  label,
  confirm,
  onSubmit,
  onCancel,
}: {
  readonly id: string;
  readonly label: string;
  readonly confirm: string;
  readonly onSubmit: (note: string) => void;
  readonly onCancel: () => void;
}) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  return (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit(note.trim());
      }}
    >
      <label htmlFor={id}>{label}</label>
      <div>
        <TextArea
          id={id}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          isRequired
          maxLength={1000}
          minimumRows={1}
        />
      </div>
      <Button type="submit" appearance="primary" isDisabled={!note.trim()}>
        {confirm}
      </Button>
      <Button appearance="subtle" onClick={onCancel}>
        {t('panel.cancel')}
      </Button>
    </form>
  );
}

/** One type's tab: its add form, and its items (risks narrowed by the matrix cell when one is chosen). */
function TypeTab({ type, items, ...props }: Omit<Props, 'raid'> & { type: RaidType; items: readonly RaidItemView[] }) {
  const { t } = useI18n();
  const [adding, setAdding] = useState(false);
  const [basis, setBasis] = useState<ScoreBasis>('inherent');
  const [cell, setCell] = useState<MatrixCell | null>(null);
  const risks = items.filter((item): item is RiskView => item.type === 'risk');
  const openRisks = risks.filter((risk) => risk.status === 'open' && !risk.id.startsWith('pending-'));
  const shown = type === 'risk' && cell ? risksInCell(openRisks, basis, cell) : openFirst(items);
  return (
    <div className="tab-body">
      {props.canEdit && !adding && (
        <Button appearance="primary" onClick={() => setAdding(true)}>
          {t(`panel.raidlog.add.${type}`)}
        </Button>
      )}
      {adding && (
        <RaidItemForm
          type={type}
          item={null}
          accountId={props.accountId}
          people={props.names}
          apply={props.apply}
          onDone={() => setAdding(false)}
        />
      )}
      {type === 'risk' && openRisks.length > 0 && (
        <RiskMatrix
          risks={openRisks}
          bands={props.riskBands}
          basis={basis}
          onBasis={(next) => {
            setBasis(next);
            setCell(null);
          }}
          selected={cell}
          onSelect={setCell}
        />
      )}
      {type === 'risk' && cell && (
        <p className="filter-note" role="status">
          {t('panel.matrix.narrowed', {
            count: shown.length,
            likelihood: t(`risk.likelihood.${cell.likelihood}`),
            impact: t(`risk.impact.${cell.impact}`),
          })}{' '}
          <Button appearance="subtle" spacing="compact" onClick={() => setCell(null)}>
            {t('panel.matrix.showAll')}
          </Button>
        </p>
      )}
      {shown.length === 0 ? (
        <p className="empty">{t(`panel.raid.empty.${type}`)}</p>
      ) : (
        <ul className="raid-list" aria-label={t(`panel.raid.type.${type}`)}>
          {shown.map((item) => (
            <Row
              key={item.id}
              item={item}
              canEdit={props.canEdit}
              names={props.names}
              accountId={props.accountId}
              apply={props.apply}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/** The RAID log, a tab per type with open counts; anyone who may edit the issue logs, edits and closes items. */
export default function RaidLog({ raid, ...props }: Props) {
  const { t } = useI18n();
  return (
    <Tabs id="raid-tabs">
      <TabList>
        {RAID_TYPES.map((type) => (
          <Tab key={type}>
            {t(`panel.raid.type.${type}`)} ({raid[type].filter((item) => item.status === 'open').length})
          </Tab>
        ))}
      </TabList>
      {RAID_TYPES.map((type) => (
        <TabPanel key={type}>
          <TypeTab type={type} items={raid[type]} {...props} />
        </TabPanel>
      ))}
    </Tabs>
  );
}
