/**
 * The steering-committee macro (Confluence `macro`). One resource serves the macro on the page and its config
 * dialog: Forge marks the dialog with `context.extension.macro.isConfiguring`, and `isEditing` alone cannot tell
 * them apart (the macro is also rendered, not configured, inside the page editor). The config form is a separate
 * chunk, so readers of the page never download it.
 */
import { lazy, Suspense } from 'react';
import { startSurface } from '../../common/src/start';
import { Loading } from './components/Loading';
import { MacroView } from './components/MacroView';
import '../../common/src/base.css';
import './styles.css';

const ConfigForm = lazy(() => import('./components/ConfigForm').then((m) => ({ default: m.ConfigForm })));

interface MacroExtension {
  readonly config?: unknown;
  readonly macro?: { readonly isConfiguring?: boolean };
}

startSurface((context) => {
  const extension = context.extension as MacroExtension;
  return extension.macro?.isConfiguring === true ? (
    <Suspense fallback={<Loading />}>
      <ConfigForm saved={extension.config} />
    </Suspense>
  ) : (
    <MacroView />
  );
});
