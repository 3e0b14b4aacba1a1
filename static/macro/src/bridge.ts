/**
 * The macro's only way to the backend: `macro/load`, unwrapped from the envelope. The configuration is not sent:
 * the resolver reads what the page's author saved from Forge's context (src/contract/macro.ts). The key stays a
 * literal at the call so the manifest contract test can read it (docs/conventions.md rule 1).
 */
import { invoke } from '@forge/bridge';
import { type MacroData } from '../../../src/contract/macro';
import { settle } from '../../common/src/call';

/** `macro/load`: the configured view's table for the reader. */
export function loadMacro(): Promise<MacroData> {
  return settle(invoke('macro/load', {}));
}
