/**
 * How every surface starts: theming first, so the first paint already has the reader's colours (a host that cannot
 * theme still shows the surface, in light mode); then Forge's context and the reader's catalog; then the surface,
 * inside StrictMode and the translator. A surface that cannot start says so in words rather than staying blank.
 */
import { type FullContext, view } from '@forge/bridge';
import { type ReactNode, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nContext, type Translator, translatorFor } from './i18n';

/** Renders `surface(context, translator)` into #root. */
export function startSurface(surface: (context: FullContext, translator: Translator) => ReactNode): void {
  const element = document.getElementById('root') as HTMLElement;
  const start = async (): Promise<void> => {
    const root = createRoot(element);
    await view.theme.enable().catch((error: unknown) => console.warn('Tollgate could not enable theming:', error));
    const context = await view.getContext();
    const translator = await translatorFor(context.locale);
    document.documentElement.lang = translator.locale;
    root.render(
      <StrictMode>
        <I18nContext.Provider value={translator}>{surface(context, translator)}</I18nContext.Provider>
      </StrictMode>,
    );
  };
  start().catch((error: unknown) => {
    console.error('Tollgate could not start:', error);
    element.textContent = 'Tollgate could not start. Reload the page; if it keeps happening, tell your Jira admin.';
  });
}
