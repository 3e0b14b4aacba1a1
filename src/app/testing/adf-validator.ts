/**
 * Checks a document against Atlassian's own ADF JSON schema (@atlaskit/adf-schema, which @forge/bridge brings in),
 * so a test fails on anything Confluence's renderer would refuse rather than on what we think ADF looks like.
 * Test-only.
 */
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

// The schema is draft-04; Ajv 8 reads it once the draft marker is gone (it uses no draft-04-only keywords).
const schema = JSON.parse(
  readFileSync(require.resolve('@atlaskit/adf-schema/dist/json-schema/v1/full.json'), 'utf8'),
) as Record<string, unknown>;
delete schema.$schema;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** The schema's complaints about `document` (empty when it is valid ADF). */
export function adfProblems(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '(doc)'} ${e.message ?? ''}`);
}
