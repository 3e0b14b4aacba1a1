import Button from '@atlaskit/button/new';
import { RadioGroup } from '@atlaskit/radio';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { view } from '@forge/bridge';
import { type FormEvent, useMemo, useState } from 'react';
import {
  DEFAULT_MACRO_COLUMNS,
  MACRO_COLUMNS,
  MACRO_VIEWS,
  MAX_MACRO_ROWS,
  macroConfigSchema,
  type MacroView,
} from '../../../../src/contract/macro';
import { MAX_NARROWING_JQL } from '../../../../src/contract/portfolio';
import { type CsvKey } from '../../../../src/domain/portfolio';
import { Field } from '../../../common/src/Field';
import { JqlStatus } from '../../../common/src/JqlStatus';
import { useI18n } from '../../../common/src/useI18n';
import { useJqlCheck } from '../../../common/src/useJqlCheck';
import { checkScope } from '../bridge';

/** What the author is editing; strings as typed, turned into a configuration only when saved. */
interface Draft {
  readonly view: MacroView;
  readonly jql: string;
  readonly projectKey: string;
  readonly columns: readonly CsvKey[];
  readonly timing: 'live' | 'asOf';
  readonly asOf: string;
  /** The changes view's first day. */
  readonly since: string;
  readonly limit: string;
}

type Field = 'view' | 'jql' | 'projectKey' | 'columns' | 'asOf' | 'since' | 'limit';
type Problems = Partial<Record<Field, string>>;

interface Option {
  readonly label: string;
  readonly value: CsvKey;
}

const isView = (value: unknown): value is MacroView => MACRO_VIEWS.some((v) => v === value);
const isColumn = (value: unknown): value is CsvKey => MACRO_COLUMNS.some((c) => c === value);

/** The saved configuration as a draft; whatever is missing or malformed starts from the defaults. */
function draftOf(saved: unknown): Draft {
  const config = (typeof saved === 'object' && saved !== null ? saved : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const columns = Array.isArray(config.columns) ? config.columns.filter(isColumn) : [];
  const asOf = text(config.asOf);
  return {
    view: isView(config.view) ? config.view : 'portfolio-table',
    jql: text(config.jql),
    projectKey: text(config.projectKey),
    columns: columns.length > 0 ? columns : DEFAULT_MACRO_COLUMNS,
    timing: asOf ? 'asOf' : 'live',
    asOf,
    since: text(config.since),
    limit: typeof config.limit === 'number' ? String(config.limit) : '25',
  };
}

/** The configuration a draft stands for: only what applies to its view, blanks left out. */
function candidate(draft: Draft): Record<string, unknown> {
  const limit = draft.limit.trim();
  return {
    view: draft.view,
    ...(draft.jql.trim() ? { jql: draft.jql.trim() } : {}),
    ...(draft.projectKey.trim() ? { projectKey: draft.projectKey.trim() } : {}),
    ...(draft.view === 'portfolio-table' ? { columns: [...draft.columns] } : {}),
    ...(draft.timing === 'asOf' && draft.asOf ? { asOf: draft.asOf } : {}),
    ...(draft.view === 'changes' && draft.since ? { since: draft.since } : {}),
    ...(limit ? { limit: Number(limit) } : {}),
  };
}

/**
 * Each refusal of macroConfigSchema as a sentence in the author's language, by field. The schema's own English is
 * for logs; the contradictions it names (custom issues) get their own explanation.
 */
function problemsOf(draft: Draft, t: (key: string, params?: Record<string, string | number>) => string): Problems {
  const problems: Problems = {};
  if (draft.timing === 'asOf' && !draft.asOf) problems.asOf = t('macro.config.error.asOfMissing');
  const parsed = macroConfigSchema.safeParse(candidate(draft));
  if (parsed.success) return problems;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'view') as Field;
    if (problems[field]) continue;
    if (issue.code === 'custom' && field === 'jql') problems.jql = t('macro.config.error.both');
    else if (issue.code === 'custom' && field === 'projectKey') problems.projectKey = t('macro.config.error.needsKey');
    else if (issue.code === 'custom' && field === 'asOf') problems.asOf = t('macro.config.error.heatMapLive');
    else if (issue.code === 'custom' && field === 'since')
      problems.since = t(draft.since ? 'macro.config.error.sinceOrder' : 'macro.config.error.sinceMissing');
    else problems[field] = t(`macro.config.error.${field}`, { max: MAX_MACRO_ROWS });
  }
  return problems;
}

function FieldError({ id, message }: { readonly id: string; readonly message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" data-testid={id}>
      {message}
    </p>
  );
}

/**
 * The macro's config dialog: which view, which projects (a JQL clause or one registry project, never both), which
 * columns in which order, live or as a past week recorded it, and how many rows. It is checked against the same
 * schema the resolver uses, inline, and only a valid configuration is ever submitted to Confluence.
 */
export function ConfigForm({ saved }: { readonly saved: unknown }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [checked, setChecked] = useState(false);
  const [saving, setSaving] = useState<'idle' | 'busy' | 'failed'>('idle');
  const problems = useMemo(() => (checked ? problemsOf(draft, t) : {}), [checked, draft, t]);
  const update = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const columnOptions: Option[] = MACRO_COLUMNS.map((value) => ({ value, label: t(`macro.col.${value}`) }));
  const byValue = new Map(columnOptions.map((option) => [option.value, option]));
  // Jira's own word on the JQL clause, as the author: a clause it refuses would show an empty report.
  const scope = useJqlCheck(draft.jql, checkScope, MAX_NARROWING_JQL);
  const refused = scope.status === 'invalid' && scope.jql === draft.jql.trim();
  const invalid = Object.keys(problems).length > 0 || (checked && refused);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    const found = problemsOf(draft, t);
    if (Object.keys(found).length > 0 || refused) return;
    const config = macroConfigSchema.parse(candidate(draft));
    setSaving('busy');
    view.submit({ config }).then(
      () => setSaving('idle'),
      (error: unknown) => {
        console.warn('Tollgate could not save the macro settings:', error);
        setSaving('failed');
      },
    );
  };

  const describedBy = (field: Field, hint?: string) =>
    [hint, problems[field] ? `error-${field}` : undefined].filter(Boolean).join(' ') || undefined;
  /** A day the config holds (`asOf`, `since`), labelled, with its hint and, when refused, its error. */
  const dateField = (field: 'asOf' | 'since', label: string, hint: string) => (
    <div className="field">
      <label htmlFor={`field-${field}`}>{t(label)}</label>
      <Textfield
        id={`field-${field}`}
        name={field}
        type="date"
        value={draft[field]}
        isInvalid={Boolean(problems[field])}
        aria-describedby={describedBy(field, `hint-${field}`)}
        onChange={(event) => update({ [field]: event.currentTarget.value })}
      />
      <p id={`hint-${field}`} className="subtle">
        {t(hint)}
      </p>
    </div>
  );
  // A field's error element exists only while it has a problem, so aria-describedby names it only then.
  const errorOf = (field: Field) => {
    const message = problems[field];
    return message ? { id: `error-${field}`, node: <FieldError id={`error-${field}`} message={message} /> } : undefined;
  };

  return (
    <form className="config" onSubmit={onSubmit} noValidate aria-labelledby="config-heading">
      <h2 id="config-heading">{t('macro.config.title')}</h2>
      {invalid && (
        <SectionMessage appearance="error" title={t('macro.config.invalid')}>
          <p>{t('macro.config.invalidBody')}</p>
        </SectionMessage>
      )}
      {saving === 'failed' && (
        <SectionMessage appearance="error" title={t('macro.config.saveFailed')}>
          <p>{t('macro.config.saveFailedBody')}</p>
        </SectionMessage>
      )}

      <fieldset className="group">
        <legend id="legend-view">{t('macro.config.view')}</legend>
        <RadioGroup
          name="view"
          aria-labelledby="legend-view"
          value={draft.view}
          options={MACRO_VIEWS.map((value) => ({ name: 'view', value, label: t(`macro.view.${value}`) }))}
          onChange={(event) => {
            const value = event.currentTarget.value;
            if (isView(value)) update({ view: value });
          }}
        />
        <FieldError id="error-view" message={problems.view} />
      </fieldset>

      <fieldset className="group">
        <legend>{t('macro.config.scope')}</legend>
        <p id="hint-scope" className="subtle">
          {t('macro.config.scopeHint')}
        </p>
        <Field id="field-jql" label={t('macro.config.jql')} describedBy="hint-scope" error={errorOf('jql')}>
          {(ids) => (
            <Textfield
              id="field-jql"
              name="jql"
              value={draft.jql}
              isInvalid={Boolean(problems.jql)}
              placeholder='department = "Grid"'
              aria-describedby={ids}
              onChange={(event) => update({ jql: event.currentTarget.value })}
            />
          )}
        </Field>
        {draft.jql.trim() !== '' && !problems.jql && (
          <JqlStatus preview={scope} jql={draft.jql} words="macro.config.jqlCheck" surface="macro" />
        )}
        <Field
          id="field-projectKey"
          label={t('macro.config.projectKey')}
          describedBy="hint-scope"
          error={errorOf('projectKey')}
        >
          {(ids) => (
            <Textfield
              id="field-projectKey"
              name="projectKey"
              value={draft.projectKey}
              isInvalid={Boolean(problems.projectKey)}
              placeholder="PMO-12"
              aria-describedby={ids}
              onChange={(event) => update({ projectKey: event.currentTarget.value })}
            />
          )}
        </Field>
      </fieldset>

      {draft.view === 'portfolio-table' && (
        <div className="field">
          <label htmlFor="field-columns" id="label-columns">
            {t('macro.config.columns')}
          </label>
          <p id="hint-columns" className="subtle">
            {t('macro.config.columnsHint')}
          </p>
          <Select<Option, true>
            inputId="field-columns"
            isMulti
            isClearable={false}
            closeMenuOnSelect={false}
            options={columnOptions}
            value={draft.columns.flatMap((value) => byValue.get(value) ?? [])}
            aria-describedby={describedBy('columns', 'hint-columns')}
            isInvalid={Boolean(problems.columns)}
            onChange={(selected) => update({ columns: selected.map((option) => option.value) })}
          />
          <FieldError id="error-columns" message={problems.columns} />
        </div>
      )}

      {draft.view === 'changes' && (
        <>
          {dateField('since', 'macro.config.since', 'macro.config.sinceHint')}
          <FieldError id="error-since" message={problems.since} />
        </>
      )}

      <fieldset className="group">
        <legend id="legend-timing">{t('macro.config.timing')}</legend>
        <RadioGroup
          name="timing"
          aria-labelledby="legend-timing"
          value={draft.timing}
          options={[
            { name: 'timing', value: 'live', label: t('macro.config.live') },
            { name: 'timing', value: 'asOf', label: t('macro.config.asOf') },
          ]}
          onChange={(event) => update({ timing: event.currentTarget.value === 'asOf' ? 'asOf' : 'live' })}
        />
        {draft.timing === 'asOf' && dateField('asOf', 'macro.config.asOfDate', 'macro.config.asOfHint')}
        <FieldError id="error-asOf" message={problems.asOf} />
      </fieldset>

      <Field id="field-limit" label={t('macro.config.limit')} className="narrow" error={errorOf('limit')}>
        {(ids) => (
          <Textfield
            id="field-limit"
            name="limit"
            type="number"
            min={1}
            max={MAX_MACRO_ROWS}
            value={draft.limit}
            isInvalid={Boolean(problems.limit)}
            aria-describedby={ids}
            onChange={(event) => update({ limit: event.currentTarget.value })}
          />
        )}
      </Field>

      <div className="actions">
        <Button type="submit" appearance="primary" isLoading={saving === 'busy'}>
          {t('macro.config.save')}
        </Button>
        <Button
          onClick={() => {
            view.close().catch((error: unknown) => console.warn('Tollgate could not close the dialog:', error));
          }}
        >
          {t('macro.config.cancel')}
        </Button>
      </div>
    </form>
  );
}
