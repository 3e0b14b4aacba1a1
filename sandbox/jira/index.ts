/**
 * The Jira emulator's public surface, for the sandbox server, the Forge runtime shim and the seed. See README.md.
 */
export { createJiraEmulator, indexedPropertiesFromManifest } from './emulator';
export type { JiraEmulatorHandle, JiraEmulatorOptions } from './emulator';
export { JqlEngine, JqlError, UNBOUNDED_JQL_MESSAGE } from './jql';
export type { IndexedProperty, IndexedValueType, JqlEngineOptions } from './jql';
export { JiraRenderer } from './render';
export { INTERNAL_SECRET_HEADER, PRINCIPAL_HEADER } from './routes';
export type { RequestLogEntry, WorkflowValidator } from './routes';
export {
  DEFAULT_APP_ACCOUNT_ID,
  JiraStore,
  openJiraStore,
  principalId,
  PROPERTY_KEY_MAX_LENGTH,
  PROPERTY_VALUE_MAX_LENGTH,
  StoreError,
  textToAdf,
} from './store';
export type {
  ChangelogItem,
  GlobalPermissionKey,
  IssuePatch,
  IssueRecord,
  JsonValue,
  NewIssue,
  NewUser,
  PermissionHolder,
  ProjectPermissionGrants,
  ProjectPermissionKey,
  StatusCategoryKey,
  StoreEvent,
  UserRecord,
  WorkflowDefinition,
} from './store';
export type { Clock } from './time';
export type * from './types';
