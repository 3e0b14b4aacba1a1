import { createJiraEmulator } from './emulator';
import { RATE_LIMITED_BODY } from './faults';
import { endpointOf, objectsReturned } from './rate-limits';
import { AS, buildTestSite, SITE_URL, type TestSite } from './testing';
import type { JiraEmulator, Principal } from './types';

const APP = { app: true } as const;
const SEARCH = '/rest/api/3/search/jql?jql=project%20%3D%20DEL&fields=summary';

let site: TestSite;
beforeEach(() => {
  site = buildTestSite();
});
afterEach(async () => {
  await site.close();
});

/** An emulator over the test site's store and clock with its own limits. */
function limited(rateLimits: Parameters<typeof createJiraEmulator>[0]['rateLimits']): JiraEmulator {
  return createJiraEmulator({ store: site.store, siteUrl: SITE_URL, rateLimits }).emulator;
}
const get = (emulator: JiraEmulator, path: string, principal: Principal = AS.lead) =>
  emulator.handle({ method: 'GET', path }, principal, APP);
const put = (emulator: JiraEmulator, path: string, value: unknown) =>
  emulator.handle(
    { method: 'PUT', path, body: JSON.stringify(value), headers: { 'content-type': 'application/json' } },
    AS.app,
    APP,
  );

describe("Jira's rate limits on app traffic", () => {
  it('charges 1 point per request plus 1 per object returned, 1 per write, and says what is left', async () => {
    const emulator = site.emulator;
    const page = await get(emulator, SEARCH);
    const issues = (JSON.parse(page.body) as { issues: unknown[] }).issues.length;
    expect(issues).toBeGreaterThan(1);
    expect(emulator.rateLimits()?.pointsUsed).toBe(1 + issues);
    await put(emulator, '/rest/api/3/issue/DEL-1/properties/p', { a: 1 });
    expect(emulator.rateLimits()?.pointsUsed).toBe(2 + issues);
    const after = await get(emulator, '/rest/api/3/myself');
    expect(after.headers).toMatchObject({ 'x-ratelimit-limit': '65000' });
    // The answer's own cost (1 + the user it returns) is already counted in what it says is left.
    expect(Number(after.headers['x-ratelimit-remaining'])).toBe(65_000 - (2 + issues) - 2);
    // A person's REST client (API token) is not under the app's points quota.
    await site.call(AS.lead, 'GET', SEARCH);
    expect(emulator.rateLimits()?.pointsUsed).toBe(2 + issues + 2);
  });

  it('refuses with 429, Retry-After to the end of the hour and jira-quota-global-based once the hour is spent', async () => {
    const emulator = limited({ pointsPerHour: 10 });
    let last = await get(emulator, '/rest/api/3/myself');
    while (last.status === 200) last = await get(emulator, '/rest/api/3/myself');
    expect(last.status).toBe(429);
    expect(JSON.parse(last.body)).toEqual(RATE_LIMITED_BODY);
    expect(last.headers).toMatchObject({ 'ratelimit-reason': 'jira-quota-global-based', 'x-ratelimit-remaining': '0' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(3_500);
    // Nothing is written while spent; the next hour starts afresh.
    expect((await put(emulator, '/rest/api/3/issue/DEL-1/properties/p', { a: 2 })).status).toBe(429);
    expect(site.store.getProperty(site.store.getIssue('DEL-1')!.id, 'p')).toBeUndefined();
    site.clock.advance(3_600_000);
    expect((await get(emulator, '/rest/api/3/myself')).status).toBe(200);
    expect(emulator.rateLimits()?.refused['jira-quota-global-based']).toBe(2);
  });

  it('limits bursts per endpoint and method, per second', async () => {
    const emulator = limited({ burstPerSecond: { GET: 3 } });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(emulator, '/rest/api/3/issue/DEL-1')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another endpoint has its own budget; the next second, this one has again.
    expect((await get(emulator, '/rest/api/3/myself')).status).toBe(200);
    const refused = await get(emulator, '/rest/api/3/issue/DEL-2');
    expect(refused.headers).toMatchObject({ 'ratelimit-reason': 'jira-burst-based', 'retry-after': '1' });
    site.clock.advance(1_000);
    expect((await get(emulator, '/rest/api/3/issue/DEL-1')).status).toBe(200);
  });

  it('allows 20 writes to one issue in 2 s (by key or id alike), then refuses until the window frees', async () => {
    const emulator = site.emulator;
    const id = site.store.getIssue('DEL-1')!.id;
    const paths = (n: number) => `/rest/api/3/issue/${n % 2 ? id : 'DEL-1'}/properties/p${n % 3}`;
    for (let n = 0; n < 20; n += 1) expect((await put(emulator, paths(n), { n })).status).toBeLessThan(300);
    const refused = await put(emulator, paths(20), { n: 20 });
    expect(refused.status).toBe(429);
    expect(refused.headers).toMatchObject({ 'ratelimit-reason': 'jira-per-issue-on-write', 'retry-after': '2' });
    // Another issue is not held back.
    expect((await put(emulator, '/rest/api/3/issue/DEL-2/properties/p', { n: 0 })).status).toBeLessThan(300);
    site.clock.advance(2_001);
    expect((await put(emulator, paths(21), { n: 21 })).status).toBeLessThan(300);
  });

  it('names endpoints and counts objects as the limits do', () => {
    expect(endpointOf('/rest/api/3/issue/PMO-12/properties/tollgate-raid-2?x=1')).toBe(
      '/rest/api/3/issue/{id}/properties/{key}',
    );
    expect(endpointOf('/rest/api/3/issue/10042')).toBe('/rest/api/3/issue/{id}');
    expect(objectsReturned('{"issues":[{},{},{}],"isLast":true}')).toBe(3);
    expect(objectsReturned('[{"name":"a"},{"name":"b"}]')).toBe(2);
    expect(objectsReturned('{"accountId":"x"}')).toBe(1);
    expect(objectsReturned('not json')).toBe(0);
  });
});
