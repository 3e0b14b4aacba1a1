/**
 * The stage-gate templates tab: every template (shipped and custom) with its versions, one template's stages,
 * gates, checklist items and deciders, and the editor for a draft (a clone, or the next version of a custom one).
 * Loaded on demand: it is not on the page's first paint.
 */
import Button from '@atlaskit/button/new';
import { Checkbox } from '@atlaskit/checkbox';
import Lozenge from '@atlaskit/lozenge';
import { type Criterion, DECIDER_ROLES, type StageGateTemplate } from '../../../../src/domain/templates';
import { useI18n } from '../../../common/src/useI18n';
import { fieldId } from '../problems';
import { type TemplateEntry } from '../template-drafts';
import { FieldProblems, type FormApi, ListInput, NumberInput, TextInput } from './Fields';

export interface TemplatesProps {
  readonly form: FormApi;
  readonly entries: readonly TemplateEntry[];
  readonly defaultTemplateId: string;
  readonly selected: string | null;
  readonly onSelect: (id: string | null) => void;
  readonly onClone: (id: string) => void;
  readonly onEdit: (id: string) => void;
  readonly onDiscard: (id: string) => void;
  /** Changes the draft at `index` of the custom templates. */
  readonly onChange: (index: number, change: (draft: StageGateTemplate) => void) => void;
}

function KindLozenge({ entry }: { readonly entry: TemplateEntry }) {
  const { t } = useI18n();
  if (entry.shipped) return <Lozenge>{t('admin.templates.shipped')}</Lozenge>;
  if (entry.draft) return <Lozenge appearance="moved">{t('admin.templates.draft')}</Lozenge>;
  return <Lozenge appearance="new">{t('admin.templates.custom')}</Lozenge>;
}

/** The list of templates and, below it, the one selected. */
export default function Templates(props: TemplatesProps) {
  const { t } = useI18n();
  const { form, entries, selected, defaultTemplateId } = props;
  const chosen = entries.find((entry) => entry.template.id === selected);
  const customCount = entries.filter((entry) => !entry.shipped).length;
  return (
    <div className="tab-body">
      <section className="card" aria-labelledby="templates-heading">
        <h2 id="templates-heading">{t('admin.templates.title')}</h2>
        <p className="subtle">{t('admin.templates.intro')}</p>
        <table className="templates-table" data-testid="templates-table">
          <caption className="visually-hidden">{t('admin.templates.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.templates.col.name')}</th>
              <th scope="col">{t('admin.templates.col.kind')}</th>
              <th scope="col">{t('admin.templates.col.version')}</th>
              <th scope="col">{t('admin.templates.col.stages')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('admin.templates.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => {
              const { template } = entry;
              return (
                <tr key={template.id} aria-current={template.id === selected ? 'true' : undefined}>
                  <th scope="row">
                    <span className="template-name">{template.name}</span>
                    <span className="subtle template-id">{template.id}</span>
                    {template.id === defaultTemplateId && (
                      <Lozenge appearance="success">{t('admin.templates.default')}</Lozenge>
                    )}
                  </th>
                  <td>
                    <KindLozenge entry={entry} />
                  </td>
                  <td data-testid={`versions-${template.id}`}>
                    {t('admin.templates.versions', {
                      version: template.version,
                      all: entry.versions.join(', '),
                    })}
                  </td>
                  <td>{template.stages.map((stage) => stage.name).join(' → ')}</td>
                  <td className="actions">
                    <Button
                      appearance="subtle"
                      onClick={() => props.onSelect(template.id === selected ? null : template.id)}
                      aria-label={t('admin.templates.viewNamed', { name: template.name })}
                    >
                      {template.id === selected ? t('admin.templates.hide') : t('admin.templates.view')}
                    </Button>
                    {!form.readOnly && (
                      <Button
                        onClick={() => props.onClone(template.id)}
                        aria-label={t('admin.templates.cloneNamed', { name: template.name })}
                      >
                        {t('admin.templates.clone')}
                      </Button>
                    )}
                    {!form.readOnly && !entry.shipped && !entry.draft && (
                      <Button
                        onClick={() => props.onEdit(template.id)}
                        aria-label={t('admin.templates.editNamed', { name: template.name })}
                      >
                        {t('admin.templates.edit')}
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {customCount === 0 && <p className="empty">{t('admin.templates.noCustom')}</p>}
        <FieldProblems form={form} path="templates" />
      </section>
      {chosen && <TemplateDetail {...props} entry={chosen} />}
    </div>
  );
}

/** One template: read-only unless it is a draft, in which case every editable part is an input. */
function TemplateDetail(props: TemplatesProps & { readonly entry: TemplateEntry }) {
  const { t } = useI18n();
  const { entry, form } = props;
  const { template } = entry;
  const editing = entry.draft && !form.readOnly && entry.index >= 0;
  const base = `templates.${entry.index}`;
  const change = (apply: (draft: StageGateTemplate) => void) => props.onChange(entry.index, apply);
  const roleName = (role: string) => t(`admin.role.${role}`);
  return (
    <section className="card template-detail" aria-labelledby="template-heading" data-testid="template-detail">
      <div className="row-between">
        <h2 id="template-heading">
          {t('admin.templates.heading', { name: template.name, version: template.version })}
        </h2>
        <KindLozenge entry={entry} />
      </div>
      {entry.shipped && <p className="subtle">{t('admin.templates.shippedNote')}</p>}
      {editing && (
        <div className="draft-note">
          <p>
            {entry.versions.length > 1
              ? t('admin.templates.draftVersionNote', { version: template.version })
              : t('admin.templates.draftCloneNote')}
          </p>
          <Button appearance="subtle" onClick={() => props.onDiscard(template.id)}>
            {t('admin.templates.discard')}
          </Button>
        </div>
      )}
      {editing ? (
        <div className="field-grid">
          <TextInput
            form={form}
            path={`${base}.name`}
            label={t('admin.templates.name')}
            value={template.name}
            onChange={(name) => change((draft) => (draft.name = name))}
          />
          <TextInput
            form={form}
            path={`${base}.description`}
            label={t('admin.templates.description')}
            value={template.description}
            onChange={(description) => change((draft) => (draft.description = description))}
          />
          <NumberInput
            form={form}
            path={`${base}.passThreshold`}
            label={t('admin.templates.passThreshold')}
            hint={t('admin.templates.passThreshold.hint')}
            // Stored as a share from 0 to 1; people think of a pass mark as a percentage.
            value={Math.round(template.passThreshold * 1000) / 10}
            suffix="%"
            onChange={(n) => change((draft) => (draft.passThreshold = n / 100))}
          />
          <NumberInput
            form={form}
            path={`${base}.scoreMax`}
            label={t('admin.templates.scoreMax')}
            value={template.scoreMax}
            onChange={(n) => change((draft) => (draft.scoreMax = n))}
          />
        </div>
      ) : (
        <>
          {template.description && <p>{template.description}</p>}
          <p className="subtle">
            {t('admin.templates.scoring', {
              threshold: Math.round(template.passThreshold * 100),
              scoreMax: template.scoreMax,
            })}
          </p>
        </>
      )}
      <FieldProblems form={form} path={base} />
      <ol className="stages">
        {template.stages.map((stage, s) => {
          const stagePath = `${base}.stages.${s}`;
          const gate = stage.exitGate;
          const gatePath = `${stagePath}.exitGate`;
          return (
            <li key={stage.id} className="stage">
              {editing ? (
                <TextInput
                  form={form}
                  path={`${stagePath}.name`}
                  label={t('admin.templates.stageName', { n: s + 1 })}
                  value={stage.name}
                  onChange={(name) =>
                    change((draft) => {
                      const target = draft.stages[s];
                      if (target) target.name = name;
                    })
                  }
                />
              ) : (
                <h3>{t('admin.templates.stage', { n: s + 1, name: stage.name })}</h3>
              )}
              {editing ? (
                <ListInput
                  form={form}
                  path={`${stagePath}.jiraStatuses`}
                  label={t('admin.templates.jiraStatuses', { n: s + 1 })}
                  hint={t('admin.templates.jiraStatusesHint', { name: stage.name })}
                  value={stage.jiraStatuses}
                  onChange={(statuses) =>
                    change((draft) => {
                      const target = draft.stages[s];
                      if (target) target.jiraStatuses = statuses;
                    })
                  }
                />
              ) : (
                <p className="subtle">
                  {t('admin.templates.jiraStatusesShown', {
                    statuses: (stage.jiraStatuses.length > 0 ? stage.jiraStatuses : [stage.name]).join(', '),
                  })}
                </p>
              )}
              {!gate ? (
                <p className="subtle">{t('admin.templates.lastStage')}</p>
              ) : (
                <div className="gate" role="group" aria-label={gate.name}>
                  {editing ? (
                    <TextInput
                      form={form}
                      path={`${gatePath}.name`}
                      label={t('admin.templates.gateName')}
                      value={gate.name}
                      onChange={(name) =>
                        change((draft) => {
                          const target = draft.stages[s]?.exitGate;
                          if (target) target.name = name;
                        })
                      }
                    />
                  ) : (
                    <h4>{gate.name}</h4>
                  )}
                  {editing ? (
                    <fieldset className="deciders" id={fieldId(`${gatePath}.deciders`)}>
                      <legend>{t('admin.templates.deciders', { gate: gate.name })}</legend>
                      {DECIDER_ROLES.map((role) => (
                        <Checkbox
                          key={role}
                          label={roleName(role)}
                          isChecked={gate.deciders.includes(role)}
                          onChange={() =>
                            change((draft) => {
                              const target = draft.stages[s]?.exitGate;
                              if (!target) return;
                              target.deciders = target.deciders.includes(role)
                                ? target.deciders.filter((other) => other !== role)
                                : DECIDER_ROLES.filter((other) => other === role || target.deciders.includes(other));
                            })
                          }
                        />
                      ))}
                      <FieldProblems form={form} path={`${gatePath}.deciders`} />
                    </fieldset>
                  ) : (
                    <p className="subtle">
                      {t('admin.templates.decidedBy', { roles: gate.deciders.map(roleName).join(', ') })}
                    </p>
                  )}
                  <table className="criteria">
                    <caption className="visually-hidden">
                      {t('admin.templates.criteriaOf', { gate: gate.name })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('admin.templates.col.item')}</th>
                        <th scope="col">{t('admin.templates.col.mustShould')}</th>
                        <th scope="col">{t('admin.templates.col.weight')}</th>
                        <th scope="col">{t('admin.templates.col.evidence')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {gate.criteria.map((criterion, c) => {
                        const path = `${gatePath}.criteria.${c}`;
                        const edit = (apply: (target: Criterion) => void) =>
                          change((draft) => {
                            const target = draft.stages[s]?.exitGate?.criteria[c];
                            if (target) apply(target);
                          });
                        const must = criterion.kind === 'must';
                        return (
                          <tr key={criterion.id} data-criterion={criterion.id}>
                            <td>
                              {editing ? (
                                <TextInput
                                  form={form}
                                  path={`${path}.title`}
                                  label={t('admin.templates.itemText', { n: c + 1, gate: gate.name })}
                                  hiddenLabel
                                  value={criterion.title}
                                  onChange={(title) => edit((target) => (target.title = title))}
                                />
                              ) : (
                                criterion.title
                              )}
                            </td>
                            <td>
                              {editing ? (
                                <Checkbox
                                  id={fieldId(`${path}.kind`)}
                                  label={
                                    <span>
                                      {t('admin.templates.mandatory')}
                                      <span className="visually-hidden">: {criterion.title}</span>
                                    </span>
                                  }
                                  isChecked={must}
                                  onChange={() => edit((target) => (target.kind = must ? 'should' : 'must'))}
                                />
                              ) : (
                                <Lozenge appearance={must ? 'removed' : 'default'}>
                                  {t(must ? 'admin.templates.must' : 'admin.templates.should')}
                                </Lozenge>
                              )}
                            </td>
                            <td>
                              {must ? (
                                <span className="subtle" title={t('admin.templates.weightMust')}>
                                  —<span className="visually-hidden">{t('admin.templates.weightMust')}</span>
                                </span>
                              ) : editing ? (
                                <NumberInput
                                  form={form}
                                  path={`${path}.weight`}
                                  label={t('admin.templates.weightOf', { title: criterion.title })}
                                  hiddenLabel
                                  value={criterion.weight}
                                  onChange={(n) => edit((target) => (target.weight = n))}
                                />
                              ) : (
                                criterion.weight
                              )}
                            </td>
                            <td>
                              {editing ? (
                                <Checkbox
                                  id={fieldId(`${path}.evidenceRequired`)}
                                  label={
                                    <span>
                                      {t('admin.templates.evidenceRequired')}
                                      <span className="visually-hidden">: {criterion.title}</span>
                                    </span>
                                  }
                                  isChecked={criterion.evidenceRequired}
                                  onChange={() =>
                                    edit((target) => (target.evidenceRequired = !target.evidenceRequired))
                                  }
                                />
                              ) : (
                                <>
                                  {criterion.evidence && <span>{criterion.evidence}</span>}
                                  {criterion.evidenceRequired && (
                                    <span className="subtle"> {t('admin.templates.evidenceNeeded')}</span>
                                  )}
                                  {!criterion.evidence && !criterion.evidenceRequired && '—'}
                                </>
                              )}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                  <FieldProblems form={form} path={`${gatePath}.criteria`} />
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
