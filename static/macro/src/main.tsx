/**
 * The steering-committee macro (Confluence `macro`). One resource serves the macro on the page and its config
 * dialog: Forge marks the dialog with `context.extension.macro.isConfiguring`, and `isEditing` alone cannot tell
 * them apart (the macro is also rendered, not configured, inside the page editor). The config form is a separate
 * chunk, so readers of the page never download it. Theming is switched on first so the first paint already has the
 * reader's colours.
 */
import { view } from '@forge/bridge';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nContext, translatorFor } from '../../common/src/i18n';
import { Loading } from './components/Loading';
import { MacroView } from './components/MacroView';
import '../../common/src/base.css';
import './styles.css';

const ConfigForm = lazy(() => import('./components/ConfigForm').then((m) => ({ default: m.ConfigForm })));

interface MacroExtension {
  readonly config?: unknown;
  readonly macro?: { readonly isConfiguring?: boolean };
}

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  // A host that cannot theme still shows the macro, in light mode.
  await view.theme.enable().catch((error: unknown) => console.warn('Tollgate could not enable theming:', error));
  const context = await view.getContext();
  const translator = await translatorFor(context.locale);
  document.documentElement.lang = translator.locale;
  const extension = context.extension as MacroExtension;
  const configuring = extension.macro?.isConfiguring === true;
  root.render(
    <StrictMode>
      <I18nContext.Provider value={translator}>
        {configuring ? (
          <Suspense fallback={<Loading />}>
            <ConfigForm saved={extension.config} />
          </Suspense>
        ) : (
          <MacroView />
        )}
      </I18nContext.Provider>
    </StrictMode>,
  );
}

start().catch((error: unknown) => {
  console.error('Tollgate could not start:', error);
  const root = document.getElementById('root');
  if (root)
    root.textContent = 'Tollgate could not start. Reload the page; if it keeps happening, tell your Jira admin.';
});
