import Button from '@atlaskit/button/new';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { type SettingsLoadResult, type SettingsSaveResult, type SettingsValues } from '../../../../src/contract/admin';
import { type ResolverError } from '../../../../src/contract/envelope';
import { type StageGateTemplate } from '../../../../src/domain/templates';
import { asCallError } from '../../../common/src/call';
import { describeError } from '../../../common/src/describe-error';
import { useI18n } from '../../../common/src/useI18n';
import { useJqlCheck } from '../../../common/src/useJqlCheck';
import { loadSettings, previewJql, saveSettings } from '../bridge';
import {
  type AdminTab,
  checkForm,
  fieldId,
  mergeProblems,
  NO_PROBLEMS,
  payloadOf,
  type Problems,
  serverProblems,
  tabOf,
} from '../problems';
import { refOf, templateEntries, withClone, withEditableVersion, withoutDraft } from '../template-drafts';
import { type FormApi } from './Fields';
import { GeneralSettings } from './GeneralSettings';
import { ReadModelCard } from './ReadModelCard';

// Only the first tab is on the first paint; the others (and their heavier components) load when opened.
const HealthSettings = lazy(() => import('./HealthSettings'));
const Templates = lazy(() => import('./Templates'));
const FieldMapping = lazy(() => import('./FieldMapping'));

const TABS: readonly AdminTab[] = ['general', 'health', 'templates', 'fields'];

type Loading =
  | { readonly kind: 'loading' }
  | { readonly kind: 'failed'; readonly errors: readonly ResolverError[] }
  | { readonly kind: 'ready'; readonly loaded: SettingsLoadResult };

function Busy({ label }: { readonly label: string }) {
  return (
    <div className="loading" role="status">
      <Spinner size="medium" label={label} />
      <span>{label}</span>
    </div>
  );
}

/** The admin page: loads the settings, then the form; says plainly why when the reader may not see them. */
export function Admin() {
  const { t } = useI18n();
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<Loading>({ kind: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ kind: 'loading' });
    loadSettings()
      .then((loaded) => {
        if (live) setState({ kind: 'ready', loaded });
      })
      .catch((failure: unknown) => {
        if (live) setState({ kind: 'failed', errors: asCallError(failure).errors });
      });
    return () => {
      live = false;
    };
  }, [attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  if (state.kind === 'loading') return <Busy label={t('admin.loading')} />;
  if (state.kind === 'failed') {
    if (state.errors[0]?.errorType === 'FORBIDDEN')
      return (
        <main className="admin">
          <SectionMessage appearance="warning" title={t('admin.forbidden.title')}>
            <p>{t('admin.forbidden.body')}</p>
          </SectionMessage>
        </main>
      );
    return (
      <main className="admin">
        <SectionMessage appearance="error" title={t('admin.error.title')}>
          <p>{describeError(t, state.errors, 'admin')}</p>
          <Button onClick={reload}>{t('admin.retry')}</Button>
        </SectionMessage>
      </main>
    );
  }
  return <SettingsForm key={`${attempt}`} loaded={state.loaded} onReload={reload} />;
}

type SaveState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly result: SettingsSaveResult }
  | { readonly kind: 'failed'; readonly errors: readonly ResolverError[] };

/** The settings as a form: checked as they are typed, saved only when valid, Jira accepts the JQL and nothing else changed. */
function SettingsForm({ loaded, onReload }: { readonly loaded: SettingsLoadResult; readonly onReload: () => void }) {
  const { t } = useI18n();
  const readOnly = !loaded.isAdmin;
  const [baseline, setBaseline] = useState({ values: loaded.settings, version: loaded.version });
  const [values, setValues] = useState<SettingsValues>(loaded.settings);
  const [tab, setTab] = useState(0);
  const [selected, setSelected] = useState<string | null>(null);
  const [save, setSave] = useState<SaveState>({ kind: 'idle' });
  const [server, setServer] = useState<Problems>(NO_PROBLEMS);
  const [focusPath, setFocusPath] = useState<string | null>(null);

  const stored = useMemo(() => new Set(baseline.values.templates.map(refOf)), [baseline]);
  const payload = useMemo(() => payloadOf(values, baseline.version), [values, baseline.version]);
  const local = useMemo(() => checkForm(t, payload), [t, payload]);
  const problems = useMemo(() => mergeProblems(local, server), [local, server]);
  const preview = useJqlCheck(values.registryJql, previewJql);
  const entries = useMemo(() => templateEntries(values.templates, stored), [values.templates, stored]);
  const dirty = useMemo(() => JSON.stringify(values) !== JSON.stringify(baseline.values), [values, baseline]);
  const form: FormApi = useMemo(() => ({ problems, readOnly }), [problems, readOnly]);

  const update = useCallback((change: (draft: SettingsValues) => void) => {
    setValues((current) => {
      const draft = structuredClone(current);
      change(draft);
      return draft;
    });
    // The server's verdict was about the form as it was sent.
    setServer(NO_PROBLEMS);
    setSave((current) => (current.kind === 'saving' ? current : { kind: 'idle' }));
  }, []);
  const setTemplates = (change: (templates: StageGateTemplate[]) => StageGateTemplate[]) =>
    update((draft) => {
      draft.templates = change(draft.templates);
    });

  // Moving to a problem: its tab is shown (and its template opened) first, so the field exists when it is focused.
  useEffect(() => {
    if (focusPath === null) return;
    let frames = 0;
    let handle = 0;
    const tryFocus = () => {
      for (let path = focusPath; ; path = path.split('.').slice(0, -1).join('.')) {
        const element = document.getElementById(fieldId(path));
        if (element) {
          element.scrollIntoView({ block: 'center' });
          element.focus();
          setFocusPath(null);
          return;
        }
        if (!path.includes('.')) break;
      }
      frames += 1;
      if (frames < 60) handle = requestAnimationFrame(tryFocus);
      else setFocusPath(null);
    };
    handle = requestAnimationFrame(tryFocus);
    return () => cancelAnimationFrame(handle);
  }, [focusPath]);

  const goTo = (path: string) => {
    setTab(TABS.indexOf(tabOf(path)));
    const index = /^templates\.(\d+)/.exec(path)?.[1];
    const template = index === undefined ? undefined : values.templates[Number(index)];
    if (template) setSelected(template.id);
    setFocusPath(path);
  };

  const jqlRefused = preview.status === 'invalid' && preview.jql === values.registryJql.trim();
  const blocked: string | null = readOnly
    ? 'readOnly'
    : local.size > 0
      ? t('admin.save.blocked.problems')
      : jqlRefused
        ? t('admin.save.blocked.jql')
        : !dirty
          ? t('admin.save.blocked.clean')
          : null;

  const onSave = () => {
    if (blocked || save.kind === 'saving') return;
    setSave({ kind: 'saving' });
    saveSettings(payload)
      .then((result) => {
        setBaseline({ values: result.settings, version: result.version });
        setValues(result.settings);
        setSave({ kind: 'saved', result });
      })
      .catch((failure: unknown) => {
        const { errors } = asCallError(failure);
        const first = errors[0];
        if (first?.errorType === 'INVALID_PAYLOAD' && first.problems?.length)
          setServer(serverProblems(t, first.problems));
        setSave({ kind: 'failed', errors });
      });
  };

  const problemList = [...problems].flatMap(([path, messages]) => messages.map((message) => ({ path, message })));
  const tabProblems = (name: AdminTab) => problemList.filter((problem) => tabOf(problem.path) === name).length;
  const failed = save.kind === 'failed' ? save.errors[0] : undefined;

  return (
    <main className="admin">
      <p className="subtle intro">{t('admin.intro')}</p>
      <ReadModelCard />
      {readOnly && (
        <SectionMessage appearance="information" title={t('admin.readOnly.title')}>
          <p data-testid="read-only-note">{t('admin.readOnly.body', { group: values.pmoGroup })}</p>
        </SectionMessage>
      )}
      {problemList.length > 0 && (
        <SectionMessage appearance="warning" title={t('admin.problems.title', { count: problemList.length })}>
          <ul className="problem-list" data-testid="problem-list">
            {problemList.map(({ path, message }) => (
              <li key={`${path}:${message}`}>
                <Button appearance="subtle" spacing="compact" onClick={() => goTo(path)}>
                  {t('admin.problems.where', { tab: t(`admin.tab.${tabOf(path)}`) })}
                </Button>{' '}
                {message}
              </li>
            ))}
          </ul>
        </SectionMessage>
      )}
      <Tabs id="admin-tabs" selected={tab} onChange={setTab}>
        <TabList>
          {TABS.map((name) => (
            <Tab key={name}>
              {tabProblems(name) > 0
                ? t('admin.tab.withProblems', { tab: t(`admin.tab.${name}`), count: tabProblems(name) })
                : t(`admin.tab.${name}`)}
            </Tab>
          ))}
        </TabList>
        <TabPanel>
          <GeneralSettings form={form} values={values} preview={preview} templates={entries} update={update} />
        </TabPanel>
        <TabPanel>
          <Suspense fallback={<Busy label={t('admin.tab.loading')} />}>
            <HealthSettings form={form} health={values.health} update={update} />
          </Suspense>
        </TabPanel>
        <TabPanel>
          <Suspense fallback={<Busy label={t('admin.tab.loading')} />}>
            <Templates
              form={form}
              entries={entries}
              defaultTemplateId={values.defaultTemplateId}
              selected={selected}
              onSelect={setSelected}
              onClone={(id) => {
                const source = entries.find((entry) => entry.template.id === id)?.template;
                if (!source) return;
                const cloned = withClone(
                  values.templates,
                  source,
                  t('admin.templates.copyName', { name: source.name }),
                );
                setTemplates(() => cloned.templates);
                setSelected(cloned.id);
              }}
              onEdit={(id) => {
                setTemplates((templates) => withEditableVersion(templates, stored, id));
                setSelected(id);
              }}
              onDiscard={(id) => {
                setTemplates((templates) => withoutDraft(templates, stored, id));
                if (!baseline.values.templates.some((template) => template.id === id)) setSelected(null);
              }}
              onChange={(index, change) =>
                update((draft) => {
                  const target = draft.templates[index];
                  if (target) change(target);
                })
              }
            />
          </Suspense>
        </TabPanel>
        <TabPanel>
          <Suspense fallback={<Busy label={t('admin.tab.loading')} />}>
            <FieldMapping form={form} fields={values.fields} update={update} />
          </Suspense>
        </TabPanel>
      </Tabs>
      {save.kind === 'saved' && (
        <SectionMessage appearance="success" title={t('admin.save.savedTitle')}>
          <p data-testid="save-result" role="status">
            {t('admin.save.saved', { version: save.result.version, count: save.result.registryMatches })}
          </p>
        </SectionMessage>
      )}
      {save.kind === 'saved' && save.result.warnings.length > 0 && (
        // Saved as asked, but a role that everyone holds is rarely what a PMO means: said where the result is.
        <SectionMessage appearance="warning" title={t('admin.save.warningsTitle')}>
          <ul data-testid="save-warnings">
            {save.result.warnings.map((warning) => (
              <li key={`${warning.role}:${warning.group}`}>
                {t(`admin.save.warning.${warning.code}`, {
                  group: warning.group,
                  role: t(`admin.role.${warning.role}`),
                  count: warning.count ?? 0,
                })}
              </li>
            ))}
          </ul>
        </SectionMessage>
      )}
      {failed?.errorType === 'CONFLICT' && (
        <SectionMessage appearance="warning" title={t('admin.conflict.title')}>
          <p role="alert">{t('admin.conflict.body')}</p>
          <Button onClick={onReload}>{t('admin.conflict.reload')}</Button>
        </SectionMessage>
      )}
      {failed && failed.errorType !== 'CONFLICT' && (
        <SectionMessage appearance="error" title={t('admin.save.failedTitle')}>
          <p role="alert">
            {failed.errorType === 'INVALID_PAYLOAD' && !failed.problems?.length
              ? t('admin.save.refused', { message: failed.message })
              : describeError(t, save.kind === 'failed' ? save.errors : [], 'admin')}
          </p>
        </SectionMessage>
      )}
      {!readOnly && (
        <div className="save-bar">
          <Button
            appearance="primary"
            isDisabled={blocked !== null}
            isLoading={save.kind === 'saving'}
            aria-describedby="save-why"
            onClick={onSave}
          >
            {t('admin.save')}
          </Button>
          <Button
            appearance="subtle"
            isDisabled={!dirty || save.kind === 'saving'}
            onClick={() => {
              setValues(baseline.values);
              setServer(NO_PROBLEMS);
              setSave({ kind: 'idle' });
            }}
          >
            {t('admin.discard')}
          </Button>
          <span id="save-why" className="subtle" data-testid="save-why">
            {save.kind === 'saving' ? t('admin.save.saving') : blocked}
          </span>
        </div>
      )}
    </main>
  );
}
