/**
 * The demo's documents as the app's write path leaves them: signed with the installation's key. The seed builds them
 * through the domain reducer but outside any installation, so without this every seeded project would read as
 * "unverified" (documents Tollgate did not write), which controlling and directive modes refuse at a gate.
 */
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
 * `document` with the signature the app's write path gives it under `key` (any old signature replaced), in the form
 * the write path stores it.
 */
export function signedDocument(key: string, document: unknown): JsonValue {
  const unsigned = { ...(document as Record<string, unknown>), sig: undefined };
  return storedForm({ ...unsigned, sig: signDocument(key, unsigned) });
}

/** Signs every seeded governance document and RAID shard in the store, as the app; returns how many it signed. */
export function signSeededDocuments(store: JiraStore, key: string): number {
  let signed = 0;
  for (const issue of store.listIssues()) {
    for (const propertyKey of store.propertyKeys(issue.id).filter(isSignedDocument)) {
      store.setProperty(issue.id, propertyKey, signedDocument(key, store.getProperty(issue.id, propertyKey)), {
        kind: 'app',
      });
      signed += 1;
    }
  }
  return signed;
}
