/**
 * Tollgate's settings page (jira:adminPage). Theming is switched on first so the first paint already has the reader's
 * colours; zod's generic messages are set to the reader's language before the form checks anything.
 */
import { view } from '@forge/bridge';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { I18nContext, translatorFor } from '../../common/src/i18n';
import { Admin } from './components/Admin';
import { problemMessages } from './problems';
import '../../common/src/base.css';
import './styles.css';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  // A host that cannot theme still shows the page, in light mode.
  await view.theme.enable().catch((error: unknown) => console.warn('Tollgate could not enable theming:', error));
  const context = await view.getContext();
  const translator = await translatorFor(context.locale);
  document.documentElement.lang = translator.locale;
  z.config({ customError: problemMessages(translator.t) });
  root.render(
    <StrictMode>
      <I18nContext.Provider value={translator}>
        <Admin />
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
