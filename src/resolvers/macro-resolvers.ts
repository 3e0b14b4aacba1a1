/**
 * The steering-committee macro: `macro/load` for the live macro, `macro/checkScope` for its config dialog's JQL, and
 * `macroAdfExport`, the function a macro's `adfExport` names, for Confluence's Word and PDF export. The configuration
 * always comes from Forge's context — what the page's author saved — never from a reader's payload
 * (docs/conventions.md rule 10).
 */
import Resolver from '@forge/resolver';
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { type AdfDoc } from '../app/adf';
import { checkMacroScopeUseCase } from '../app/check-macro-scope-use-case';
import { type AppDeps } from '../app/deps';
import { TollgateError } from '../app/errors';
import { loadMacroData, macroDocument, macroMessageDocument } from '../app/macro-use-case';
import { type ResolverResponse } from '../contract/envelope';
import {
  macroConfigSchema,
  type MacroData,
  macroLoadSchema,
  type MacroScopeCheck,
  macroScopeCheckSchema,
} from '../contract/macro';
import { type Translator } from '../domain/messages';
import { readerWords } from './reader-words';
import { respond, type ResolverRequest } from './respond';

/**
 * `macro/load`: the configured view's data for the reader; INVALID_PAYLOAD with the problems when the saved
 * configuration is not valid, NOT_FOUND when the configured project is not visible to the reader.
 * @throws never (errors are answered in the envelope).
 */
export function loadMacro(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<MacroData>> {
  const config = request.context.extension?.config;
  const words = readerWords(request.context);
  return respond({ ...request, payload: { config } }, macroLoadSchema, ({ config: valid }, accountId) =>
    loadMacroData(deps, { accountId, config: valid, words }),
  );
}

/**
 * `macro/checkScope`: how many registry projects the author's JQL clause leaves them, or Jira's reason for refusing
 * it; it stores nothing, and counts as the author.
 * @throws never (errors are answered in the envelope).
 */
export function checkMacroScope(request: ResolverRequest, deps: AppDeps): Promise<ResolverResponse<MacroScopeCheck>> {
  return respond(request, macroScopeCheckSchema, ({ jql }, accountId) =>
    checkMacroScopeUseCase(deps, { accountId, jql }),
  );
}

// Where the export call carries the macro's configuration differs between export paths (PDF sends it in the
// extension payload, Word in the context), so each known place is looked at in turn.
const exportEventSchema = z.object({
  extensionPayload: z.object({ config: z.unknown() }).partial().optional(),
  context: z
    .object({
      accountId: z.string().optional(),
      locale: z.string().optional().catch(undefined),
      timezone: z.string().optional().catch(undefined),
      config: z.unknown(),
      extension: z.object({ config: z.unknown() }).partial().optional(),
    })
    .partial()
    .optional(),
  config: z.unknown().optional(),
});
const invocationSchema = z.object({
  principal: z
    .object({ accountId: z.string().min(1) })
    .partial()
    .optional(),
});

const TITLE = 'Tollgate';

/** A refusal in the reader's words when it carries a catalog key; its English message otherwise. */
function refusalText(words: Translator, error: TollgateError): string {
  return error.i18n ? words.t(error.i18n.key, error.i18n.params) : error.message;
}

/**
 * The `adfExport` handler: the macro as an ADF document, so the exported page shows the table the macro showed.
 * Runs as the person exporting. Never throws: an export with a sentence in place of the table beats a failed one.
 * @see https://developer.atlassian.com/platform/forge/manifest-reference/modules/macro/
 */
export async function macroAdfExport(event: unknown, invocation?: unknown, deps?: AppDeps): Promise<AdfDoc> {
  const parsedEvent = exportEventSchema.safeParse(event ?? {});
  const found: z.infer<typeof exportEventSchema> = parsedEvent.success ? parsedEvent.data : {};
  const accountId = invocationSchema.safeParse(invocation ?? {}).data?.principal?.accountId ?? found.context?.accountId;
  const words = readerWords(found.context);
  if (!accountId) return macroMessageDocument(TITLE, words.t('macro.export.signedOut'));
  const raw =
    found.extensionPayload?.config ?? found.context?.extension?.config ?? found.context?.config ?? found.config;
  const config = macroConfigSchema.safeParse(raw ?? {});
  if (!config.success) {
    const problems = config.error.issues.map((i) => `${i.path.join('.') || 'config'}: ${i.message}`);
    return macroMessageDocument(TITLE, words.t('macro.export.invalid', { problems: problems.join('; ') }));
  }
  try {
    return macroDocument(await loadMacroData(deps ?? forgeDeps(), { accountId, config: config.data, words }), words);
  } catch (error) {
    if (error instanceof TollgateError) return macroMessageDocument(TITLE, refusalText(words, error));
    console.error('Tollgate could not export a macro:', error);
    return macroMessageDocument(TITLE, words.t('macro.export.failed'));
  }
}

const resolver = new Resolver();
resolver.define('macro/load', (request: ResolverRequest) => loadMacro(request, forgeDeps()));
resolver.define('macro/checkScope', (request: ResolverRequest) => checkMacroScope(request, forgeDeps()));

/** The macro's resolver, for the `function` a Confluence `macro` module names. */
export default resolver.getDefinitions();
