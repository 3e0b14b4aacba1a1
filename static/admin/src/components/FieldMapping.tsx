import { type SettingsValues } from '../../../../src/contract/admin';
import { useI18n } from '../../../common/src/useI18n';
import { FieldProblems, type FormApi, TextInput } from './Fields';

type Fields = SettingsValues['fields'];
const OPTIONAL = ['department', 'startDate', 'progress'] as const;
const BUDGET = ['bac', 'pv', 'ev', 'ac'] as const;

interface Props {
  readonly form: FormApi;
  readonly fields: Fields;
  readonly update: (change: (draft: SettingsValues) => void) => void;
}

/** Which Jira fields hold the facts health needs beyond Tollgate's own documents. */
export default function FieldMapping({ form, fields, update }: Props) {
  const { t } = useI18n();
  const set = (change: (draft: Fields) => void) => update((draft) => change(draft.fields));
  return (
    <div className="tab-body">
      <section className="card" aria-labelledby="fields-heading">
        <h2 id="fields-heading">{t('admin.fields.title')}</h2>
        <p className="subtle">{t('admin.fields.intro')}</p>
        <div className="field-grid">
          <TextInput
            form={form}
            path="fields.owner"
            label={t('admin.fields.owner')}
            value={fields.owner}
            onChange={(owner) => set((draft) => (draft.owner = owner))}
          />
          {OPTIONAL.map((key) => (
            <TextInput
              key={key}
              form={form}
              path={`fields.${key}`}
              label={t(`admin.fields.${key}`)}
              hint={t('admin.fields.optional')}
              value={fields[key] ?? ''}
              onChange={(id) =>
                set((draft) => {
                  // Empty means "not mapped": the key goes, since '' is not a field id.
                  if (id.trim() === '') delete draft[key];
                  else draft[key] = id.trim();
                })
              }
            />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="budget-heading">
        <h2 id="budget-heading">{t('admin.fields.budget')}</h2>
        <p className="subtle">{t('admin.fields.budget.intro')}</p>
        <div className="field-grid">
          {BUDGET.map((key) => (
            <TextInput
              key={key}
              form={form}
              path={`fields.budget.${key}`}
              label={t(`admin.fields.budget.${key}`)}
              value={fields.budget?.[key] ?? ''}
              onChange={(id) =>
                set((draft) => {
                  const budget = { bac: '', pv: '', ev: '', ac: '', ...draft.budget, [key]: id.trim() };
                  // All four or none: a half-mapped budget is refused by the schema field by field.
                  if (BUDGET.every((k) => budget[k] === '')) delete draft.budget;
                  else draft.budget = budget;
                })
              }
            />
          ))}
        </div>
        <FieldProblems form={form} path="fields.budget" />
      </section>
    </div>
  );
}
