import Button from '@atlaskit/button/new';
import Select from '@atlaskit/select';
import TextArea from '@atlaskit/textarea';
import Textfield from '@atlaskit/textfield';
import { useState } from 'react';
import { type RaidItemView } from '../../../../src/contract/issue-panel';
import { type RaidType } from '../../../../src/domain/raid';
import { useI18n } from '../../../common/src/useI18n';
import { type PanelOp } from '../optimistic';
import {
  addOpOf,
  cannotClear,
  draftOf,
  emptyDraft,
  type FieldSpec,
  missingFields,
  RAID_FIELDS,
  type RaidDraft,
  updateOpOf,
} from '../raid-model';

interface Props {
  readonly type: RaidType;
  /** The item being edited; null to log a new one. */
  readonly item: RaidItemView | null;
  readonly accountId: string;
  /** People the panel can name, for the owner and approver pickers. */
  readonly people: ReadonlyMap<string, string | null>;
  readonly apply: (op: PanelOp) => Promise<boolean>;
  readonly onDone: () => void;
}

const LEVELS = ['1', '2', '3', '4', '5'] as const;

/** Today in the reader's calendar, for a new decision's date. */
function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/**
 * Logs or edits one RAID item with the fields its type has (src/domain/raid.ts): owner from the people the panel
 * knows, dates, 5×5 ratings for risks (inherent and residual, with both scores previewed), mitigation and so on.
 * The form closes at once and the change is previewed; a refusal rolls it back with the server's reason.
 */
export function RaidItemForm({ type, item, accountId, people, apply, onDone }: Props) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<RaidDraft>(() => (item ? draftOf(item) : emptyDraft(type, accountId, today())));
  const prefix = item ? item.id : type;
  const id = (field: string) => `${prefix}-${field}`;
  const set = (field: string, value: string) => setDraft((d) => ({ ...d, [field]: value }));
  const missing = missingFields(type, draft);
  const op = item ? updateOpOf(item, draft) : addOpOf(type, draft);
  const headingId = `${prefix}-form-heading`;
  const userOptions = [...new Set([accountId, ...people.keys(), draft.owner ?? '', draft.approver ?? ''])]
    .filter(Boolean)
    .map((value) => ({ value, label: people.get(value) ?? value }));

  const label = (field: FieldSpec) =>
    field.name === 'title' ? t(`panel.raidlog.titleLabel.${type}`) : t(`panel.raidlog.field.${field.name}`);

  const choiceOptions = (field: FieldSpec) =>
    field.kind === 'level'
      ? LEVELS.map((value) => ({
          value,
          label: `${value} – ${t(`panel.raid.${/ikelihood/.test(field.name) ? 'likelihood' : 'impact'}Level.${value}`)}`,
        }))
      : (field.choices ?? []).map((value) => ({ value, label: t(`panel.raidlog.choice.${field.name}.${value}`) }));

  const control = (field: FieldSpec) => {
    const value = draft[field.name] ?? '';
    switch (field.kind) {
      case 'text':
      case 'issueKey':
        return (
          <Textfield
            id={id(field.name)}
            value={value}
            onChange={(e) => set(field.name, e.currentTarget.value)}
            isRequired={field.required}
            maxLength={field.max ?? 20}
            placeholder={field.kind === 'issueKey' ? 'PMO-12' : undefined}
          />
        );
      case 'textarea':
        return (
          <TextArea
            id={id(field.name)}
            value={value}
            onChange={(e) => set(field.name, e.currentTarget.value)}
            isRequired={field.required}
            maxLength={field.max}
            minimumRows={2}
          />
        );
      case 'date':
        return (
          <Textfield
            id={id(field.name)}
            type="date"
            value={value}
            onChange={(e) => set(field.name, e.currentTarget.value)}
            isRequired={field.required}
          />
        );
      case 'user': {
        return (
          <Select
            inputId={id(field.name)}
            options={userOptions}
            value={userOptions.find((o) => o.value === value) ?? null}
            onChange={(option) => option && set(field.name, option.value)}
          />
        );
      }
      case 'level':
      case 'choice': {
        const options = choiceOptions(field);
        return (
          <Select
            inputId={id(field.name)}
            options={options}
            value={options.find((o) => o.value === value) ?? null}
            onChange={(option) => set(field.name, option ? option.value : '')}
            isSearchable={false}
            isClearable={!field.required}
            placeholder={t('panel.raidlog.notSet')}
          />
        );
      }
    }
  };

  const residual = (level: string | undefined, inherent: string | undefined) => Number(level || inherent || 0);
  const inherentScore = Number(draft.likelihood || 0) * Number(draft.impact || 0);
  const residualScore =
    residual(draft.residualLikelihood, draft.likelihood) * residual(draft.residualImpact, draft.impact);

  return (
    <form
      className="add-form"
      aria-labelledby={headingId}
      onSubmit={(event) => {
        event.preventDefault();
        if (!op || missing.length > 0) return;
        onDone();
        void apply(op);
      }}
    >
      <h4 id={headingId}>{item ? t('panel.raidlog.editHeading', { id: item.id }) : t(`panel.raidlog.add.${type}`)}</h4>
      <div className="field-grid">
        {RAID_FIELDS[type].map((field) => (
          <div key={field.name} className="field-pair">
            <label htmlFor={id(field.name)}>
              {label(field)}
              {field.required && <span aria-hidden="true"> *</span>}
            </label>
            <div>
              {control(field)}
              {cannotClear(field, item, draft) && <p className="subtle">{t('panel.raidlog.keepsValue')}</p>}
            </div>
          </div>
        ))}
      </div>
      {type === 'risk' && (
        <p className="subtle" aria-live="polite">
          {t('panel.raidlog.scores', { inherent: inherentScore, residual: residualScore })}
        </p>
      )}
      <div className="actions">
        <Button type="submit" appearance="primary" isDisabled={!op || missing.length > 0}>
          {item ? t('panel.raidlog.save', { id: item.id }) : t(`panel.raidlog.log.${type}`)}
        </Button>
        <Button appearance="subtle" onClick={onDone}>
          {t('panel.cancel')}
        </Button>
        {missing.length > 0 && (
          <span className="subtle">
            {t('panel.raidlog.missing', {
              fields: missing.map((name) => label({ name, kind: 'text', required: true })).join(', '),
            })}
          </span>
        )}
      </div>
    </form>
  );
}
