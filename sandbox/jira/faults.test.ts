import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RATE_LIMITED_BODY } from './faults';
import { AS, buildTestSite, type TestSite } from './testing';
import type { FaultPlan } from './types';

const MYSELF = '/rest/api/3/myself';

let site: TestSite;
beforeEach(() => {
  site = buildTestSite();
});
afterEach(async () => {
  await site.close();
});

async function statuses(count: number, path = MYSELF): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) out.push((await site.call(AS.lead, 'GET', path)).status);
  return out;
}

describe('429', () => {
  it('fails the next N requests with Jira rate-limit headers and body, then recovers', async () => {
    site.emulator.setFaults({ next: 2, kind: '429', retryAfterSeconds: 90 });
    const first = await site.call(AS.lead, 'GET', MYSELF);
    expect(first.status).toBe(429);
    expect(first.headers).toMatchObject({
      'retry-after': '90',
      'ratelimit-reason': 'jira-burst-based',
      // The site clock stands at 2026-05-01T09:00Z; the reset is Retry-After later, in yyyy-MM-ddTHH:mmZ.
      'x-ratelimit-reset': '2026-05-01T09:01Z',
      'content-type': 'application/json;charset=UTF-8',
    });
    expect(first.json).toEqual(RATE_LIMITED_BODY);
    expect(await statuses(2)).toEqual([429, 200]);
    expect(site.emulator.faultsInjected()).toBe(2);
  });

  it('sends the body captured from Jira Cloud', () => {
    const captures = JSON.parse(
      readFileSync(resolve(__dirname, '../../test/vendor/jira-fixtures/errors-real-captures.json'), 'utf8'),
    ) as { examples: Array<{ status: number; body: unknown }> };
    expect(captures.examples.filter((e) => e.status === 429).map((e) => e.body)).toContainEqual(RATE_LIMITED_BODY);
  });

  it('changes nothing on a refused write', async () => {
    site.emulator.setFaults({ next: 1 });
    const response = await site.call(AS.lead, 'PUT', '/rest/api/3/issue/PMO-1/properties/p', { a: 1 });
    expect(response.status).toBe(429);
    expect(site.store.getProperty('10000', 'p')).toBeUndefined();
  });
});

describe('rate', () => {
  const sequence = async (plan: FaultPlan): Promise<number[]> => {
    const other = buildTestSite();
    other.emulator.setFaults(plan);
    const out: number[] = [];
    for (let i = 0; i < 200; i += 1) out.push((await other.call(AS.lead, 'GET', MYSELF)).status);
    await other.close();
    return out;
  };

  it('fails about the given share of requests, the same ones for the same seed', async () => {
    const a = await sequence({ rate: 0.25, seed: 7 });
    const b = await sequence({ rate: 0.25, seed: 7 });
    const c = await sequence({ rate: 0.25, seed: 8 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const failed = a.filter((status) => status === 429).length;
    expect(failed).toBeGreaterThan(30);
    expect(failed).toBeLessThan(70);
  });

  it('refuses a rate outside 0..1', () => {
    expect(() => site.emulator.setFaults({ rate: 2 })).toThrow(RangeError);
  });
});

describe('5xx, latency, scope', () => {
  it('sends a 500 as an ErrorCollection and 502/503 as HTML pages, 503 with Retry-After', async () => {
    site.emulator.setFaults({ next: 1, kind: '500' });
    const internal = await site.call(AS.lead, 'GET', MYSELF);
    expect([internal.status, internal.json]).toEqual([500, { errorMessages: ['Internal server error'], errors: {} }]);
    site.emulator.setFaults({ next: 1, kind: '502' });
    const gateway = await site.call(AS.lead, 'GET', MYSELF);
    expect([gateway.status, gateway.headers['content-type']]).toEqual([502, 'text/html;charset=utf-8']);
    site.emulator.setFaults({ next: 1, kind: '503', retryAfterSeconds: 3 });
    const unavailable = await site.call(AS.lead, 'GET', MYSELF);
    expect([unavailable.status, unavailable.headers['retry-after']]).toEqual([503, '3']);
    expect(site.emulator.faultsInjected()).toBe(3);
  });

  it('adds latency to every matching request', async () => {
    site.emulator.setFaults({ latencyMs: 40 });
    const started = Date.now();
    expect(await statuses(2)).toEqual([200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(site.emulator.faultsInjected()).toBe(0);
  });

  it('fails only paths under pathPrefix, and stops when switched off', async () => {
    site.emulator.setFaults({ rate: 1, pathPrefix: '/rest/api/3/issue/' });
    expect(await statuses(1)).toEqual([200]);
    expect(await statuses(1, '/rest/api/3/issue/PMO-1')).toEqual([429]);
    site.emulator.setFaults(null);
    expect(await statuses(1, '/rest/api/3/issue/PMO-1')).toEqual([200]);
  });

  it('logs injected faults like any other response', async () => {
    site.emulator.resetRequestLog();
    site.emulator.setFaults({ next: 1 });
    await statuses(2, '/rest/api/3/issue/PMO-1');
    expect(site.emulator.requestLog()).toEqual([
      { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}', status: 429, principal: 'user:acc-petra' },
      { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}', status: 200, principal: 'user:acc-petra' },
    ]);
  });
});
