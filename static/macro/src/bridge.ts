/**
 * The macro's ways to the backend, unwrapped from the envelope: `macro/load`, and `macro/checkScope` for its config
 * dialog. The configuration is not sent: the resolver reads what the page's author saved from Forge's context
 * (src/contract/macro.ts). The keys stay literals at the call so the manifest contract test can read them
 * (docs/conventions.md rule 1).
 */
import { invoke } from '@forge/bridge';
import { type MacroData, type MacroScopeCheck } from '../../../src/contract/macro';
import { settle } from '../../common/src/call';

/** `macro/load`: the configured view's table for the reader. */
export function loadMacro(): Promise<MacroData> {
  return settle(invoke('macro/load', {}));
}

/** `macro/checkScope`: how many registry projects the JQL clause being typed leaves the author, or Jira's refusal. */
export function checkScope(jql: string): Promise<MacroScopeCheck> {
  return settle(invoke('macro/checkScope', { jql }));
}
