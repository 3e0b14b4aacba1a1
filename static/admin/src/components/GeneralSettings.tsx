import { Radio } from '@atlaskit/radio';
import Textarea from '@atlaskit/textarea';
import { type SettingsValues } from '../../../../src/contract/admin';
import { ENFORCEMENT_MODES } from '../../../../src/domain/enforcement';
import { JqlStatus } from '../../../common/src/JqlStatus';
import { useI18n } from '../../../common/src/useI18n';
import { type JqlPreview } from '../../../common/src/useJqlCheck';
import { fieldId } from '../problems';
import { type TemplateEntry } from '../template-drafts';
import { FieldProblems, type FormApi, NumberInput, TextInput } from './Fields';

const ROLE_GROUPS = ['sponsor', 'steering-committee', 'project-board'] as const;

interface Props {
  readonly form: FormApi;
  readonly values: SettingsValues;
  readonly preview: JqlPreview;
  readonly templates: readonly TemplateEntry[];
  readonly update: (change: (draft: SettingsValues) => void) => void;
}

/** The registry, the enforcement mode, who holds which role and the template new projects start on. */
export function GeneralSettings({ form, values, preview, templates, update }: Props) {
  const { t } = useI18n();
  const jqlInvalid = (form.problems.get('registryJql')?.length ?? 0) > 0 || preview.status === 'invalid';
  return (
    <div className="tab-body">
      <section className="card" aria-labelledby="registry-heading">
        <h2 id="registry-heading">{t('admin.registry.title')}</h2>
        <p className="subtle" id="registry-intro">
          {t('admin.registry.intro')}
        </p>
        <label htmlFor={fieldId('registryJql')} className="field-label">
          {t('admin.registry.jql')}
        </label>
        <Textarea
          id={fieldId('registryJql')}
          value={values.registryJql}
          isReadOnly={form.readOnly}
          isInvalid={jqlInvalid}
          aria-invalid={jqlInvalid}
          aria-describedby={`registry-intro jql-status ${fieldId('registryJql')}-problems`}
          minimumRows={2}
          resize="vertical"
          spellCheck={false}
          isMonospaced
          onChange={(event) => {
            const jql = event.currentTarget.value;
            update((draft) => {
              draft.registryJql = jql;
            });
          }}
        />
        <JqlStatus preview={preview} jql={values.registryJql} words="admin.jql" surface="admin" />
        <FieldProblems form={form} path="registryJql" />
      </section>

      <section className="card" aria-labelledby="mode-heading">
        <h2 id="mode-heading">{t('admin.mode.title')}</h2>
        <div role="radiogroup" aria-labelledby="mode-heading" className="modes">
          {ENFORCEMENT_MODES.map((mode) => (
            <div key={mode} className={`mode${values.mode === mode ? ' mode-selected' : ''}`}>
              <Radio
                id={mode === 'supportive' ? fieldId('mode') : `mode-${mode}`}
                name="mode"
                value={mode}
                isChecked={values.mode === mode}
                isDisabled={form.readOnly}
                label={
                  <span>
                    <strong>{t(`admin.mode.${mode}`)}</strong>
                    <span className="mode-explained"> — {t(`admin.mode.${mode}.explained`)}</span>
                  </span>
                }
                onChange={() =>
                  update((draft) => {
                    draft.mode = mode;
                  })
                }
              />
            </div>
          ))}
        </div>
        <FieldProblems form={form} path="mode" />
      </section>

      <section className="card" aria-labelledby="roles-heading">
        <h2 id="roles-heading">{t('admin.roles.title')}</h2>
        <p className="subtle">{t('admin.roles.intro')}</p>
        <div className="field-grid">
          <TextInput
            form={form}
            path="pmoGroup"
            label={t('admin.roles.pmoGroup')}
            hint={t('admin.roles.pmoGroup.hint')}
            value={values.pmoGroup}
            onChange={(pmoGroup) =>
              update((draft) => {
                draft.pmoGroup = pmoGroup;
              })
            }
          />
          {ROLE_GROUPS.map((role) => (
            <TextInput
              key={role}
              form={form}
              path={`roleGroups.${role}`}
              label={t('admin.roles.group', { role: t(`admin.role.${role}`) })}
              hint={t('admin.roles.optional')}
              value={values.roleGroups[role] ?? ''}
              onChange={(group) =>
                update((draft) => {
                  // An empty box means nobody holds the role through a group: the key goes, '' would be invalid.
                  if (group.trim() === '') delete draft.roleGroups[role];
                  else draft.roleGroups[role] = group;
                })
              }
            />
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="default-template-heading">
        <h2 id="default-template-heading">{t('admin.defaultTemplate.title')}</h2>
        <p className="subtle" id="default-template-hint">
          {t('admin.defaultTemplate.intro')}
        </p>
        {/* Radios rather than a select: a PMO has a handful of templates, and every name is then visible at once. */}
        <div role="radiogroup" aria-labelledby="default-template-heading" aria-describedby="default-template-hint">
          {templates.map((entry, index) => (
            <Radio
              key={entry.template.id}
              id={index === 0 ? fieldId('defaultTemplateId') : `default-template-${entry.template.id}`}
              name="defaultTemplateId"
              value={entry.template.id}
              isChecked={values.defaultTemplateId === entry.template.id}
              isDisabled={form.readOnly}
              label={t('admin.templates.option', { name: entry.template.name, version: entry.template.version })}
              onChange={() =>
                update((draft) => {
                  draft.defaultTemplateId = entry.template.id;
                })
              }
            />
          ))}
        </div>
        <FieldProblems form={form} path="defaultTemplateId" />
      </section>

      <section className="card" aria-labelledby="quota-heading">
        <h2 id="quota-heading">{t('admin.quota.title')}</h2>
        <p className="subtle">{t('admin.quota.intro')}</p>
        <NumberInput
          form={form}
          path="quota.personHourlyPoints"
          label={t('admin.quota.personHourlyPoints')}
          hint={t('admin.quota.personHourlyPoints.hint')}
          suffix={t('admin.quota.points')}
          value={values.quota.personHourlyPoints}
          onChange={(points) =>
            update((draft) => {
              draft.quota.personHourlyPoints = points;
            })
          }
        />
      </section>
    </div>
  );
}
