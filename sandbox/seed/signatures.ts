/**
 * The demo's documents as the app's write path leaves them: signed with the installation's key, each for its own
 * issue (signatures are bound to the issue id and the installation, src/app/signing.ts). The seed builds them
 * through the domain reducer but outside any installation, so without this every seeded project would read as
 * "unverified" (documents Tollgate did not write), which controlling and directive modes refuse at a gate.
 *
 * Seeded projects have no ledger, so a sandbox seeded before signatures were bound (its `.sandbox/` holds documents
 * in the legacy form) has nothing that vouches for them: they read as another issue's record. `npm run sandbox:reset`
 * seeds it again.
 */
import { type SigningKey } from '../../src/app/ports';
import { signDocument, storedForm } from '../../src/app/signing';
import { GOVERNANCE_PROPERTY_KEY } from '../../src/domain/documents/governance-document';
import { RAID_PROPERTY_KEY } from '../../src/domain/documents/raid-document';
import type { JiraStore } from '../jira/store';
import type { JsonValue } from '../jira/store';

/** Whether an issue property is one of the documents the app signs (governance and every RAID shard). */
export function isSignedDocument(propertyKey: string): boolean {
  return propertyKey === GOVERNANCE_PROPERTY_KEY || propertyKey.startsWith(RAID_PROPERTY_KEY);
}

/**
 * `document` with the signature the app's write path gives it on issue `issueId` under `key` (any old signature
 * replaced), in the form the write path stores it.
 */
export function signedDocument(key: SigningKey, issueId: string, document: unknown): JsonValue {
  const unsigned = { ...(document as Record<string, unknown>), sig: undefined };
  return storedForm({ ...unsigned, sig: signDocument(key, issueId, unsigned) });
}

/** Signs every seeded governance document and RAID shard in the store, as the app; returns how many it signed. */
export function signSeededDocuments(store: JiraStore, key: SigningKey): number {
  let signed = 0;
  for (const issue of store.listIssues()) {
    for (const propertyKey of store.propertyKeys(issue.id).filter(isSignedDocument)) {
      const document = signedDocument(key, issue.id, store.getProperty(issue.id, propertyKey));
      store.setProperty(issue.id, propertyKey, document, {
        kind: 'app',
      });
      signed += 1;
    }
  }
  return signed;
}
