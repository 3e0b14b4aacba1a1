import { assertDocumentedCall, CALL_SCHEMAS, type CallKind } from './platform-contracts';

const CONTEXT = { installContext: 'ari:cloud:jira::site/c1', principal: { accountId: 'acc-1' } };
const RESOLVER_CONTEXT = {
  accountId: 'acc-1',
  cloudId: 'c1',
  localId: 'l1',
  moduleKey: 'panel',
  siteUrl: 'https://example.atlassian.net',
  extension: { type: 'jira:issuePanel', issue: { key: 'PMO-1' } },
  locale: 'en-US',
  timezone: 'UTC',
  installContext: 'ari:cloud:jira::site/c1',
  environmentId: 'e1',
  environmentType: 'DEVELOPMENT',
};
/** One documented call of each kind, as Forge's pages show them. */
const DOCUMENTED: Record<CallKind, Record<string, unknown>> = {
  resolver: { call: { functionKey: 'project/load', payload: {} }, context: RESOLVER_CONTEXT },
  trigger: {
    eventType: 'avi:jira:updated:issue',
    selfGenerated: false,
    issue: { id: '10001', key: 'PMO-1', fields: {} },
    atlassianId: 'acc-1',
    changelog: { items: [] },
    timestamp: '2026-11-21T09:00:00.000+0000',
  },
  lifecycle: {
    id: 'inst-1',
    installerAccountId: 'acc-1',
    app: { id: 'app-1', version: '1.0.0' },
    environment: { id: 'e1' },
  },
  validator: { issue: { key: 'PMO-1' }, configuration: {}, transition: { from: { id: '1' }, to: { id: '2' } } },
  scheduledTrigger: { context: { cloudId: 'c1', moduleKey: 'daily' }, contextToken: 'token' },
  consumer: { body: { ids: ['1'] }, queueName: 'q', jobId: 'j', eventId: 'e' },
  adfExport: { exportType: 'pdf', context: RESOLVER_CONTEXT, extensionPayload: {} },
};

describe('what Forge hands a function, exactly', () => {
  it.each(Object.keys(CALL_SCHEMAS) as CallKind[])('accepts the documented %s call', (kind) => {
    expect(() => assertDocumentedCall(kind, DOCUMENTED[kind], CONTEXT)).not.toThrow();
  });

  it.each(Object.keys(CALL_SCHEMAS) as CallKind[])('refuses a %s payload with a member Forge does not send', (kind) => {
    expect(() => assertDocumentedCall(kind, { ...DOCUMENTED[kind], accountId: 'acc-1' }, CONTEXT)).toThrow(
      `Forge sandbox: the ${kind} payload is not what Forge documents`,
    );
  });

  it('refuses a function context with a top-level accountId: Forge puts the user under principal only', () => {
    expect(() => assertDocumentedCall('validator', DOCUMENTED.validator, { ...CONTEXT, accountId: 'acc-1' })).toThrow(
      'Forge sandbox: the validator context is not what Forge documents',
    );
    expect(() => assertDocumentedCall('validator', DOCUMENTED.validator, { installContext: 'x' })).not.toThrow();
  });
});
