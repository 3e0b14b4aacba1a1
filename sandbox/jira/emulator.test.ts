import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Fastify from 'fastify';
import { parse } from 'yaml';
import { indexedPropertiesFromManifest } from './emulator';
import { INTERNAL_SECRET_HEADER, PRINCIPAL_HEADER } from './routes';
import { AS, buildTestSite, PEOPLE, type TestSite } from './testing';
import type { JiraEvent } from './types';

let site: TestSite;
let events: JiraEvent[];
beforeEach(() => {
  site = buildTestSite();
  events = [];
  site.emulator.events.on('event', (event) => events.push(event));
});
afterEach(async () => {
  await site.close();
});

describe('product events', () => {
  it('are emitted after each change, with the actor and the rendered issue', async () => {
    await site.call(AS.owner, 'PUT', '/rest/api/3/issue/PMO-1/properties/tollgate-governance', { rev: 1 });
    await site.call(AS.app, 'PUT', '/rest/api/3/issue/PMO-1/properties/tollgate-health', { rag: 'amber' });
    await site.call(AS.owner, 'DELETE', '/rest/api/3/issue/PMO-1/properties/tollgate-governance');
    await site.call(AS.owner, 'PUT', '/rest/api/3/issue/PMO-1', { fields: { summary: 'Portal 2.0' } });
    await site.call(AS.owner, 'POST', '/rest/api/3/issue', {
      fields: { project: { key: 'DEL' }, issuetype: { name: 'Task' }, summary: 'New' },
    });
    expect(events.map((event) => [event.eventType, event.actor, event.issue.key, event.property?.key])).toEqual([
      ['avi:jira:set:issue-property', AS.owner, 'PMO-1', 'tollgate-governance'],
      ['avi:jira:set:issue-property', AS.app, 'PMO-1', 'tollgate-health'],
      ['avi:jira:deleted:issue-property', AS.owner, 'PMO-1', 'tollgate-governance'],
      ['avi:jira:updated:issue', AS.owner, 'PMO-1', undefined],
      ['avi:jira:created:issue', AS.owner, 'DEL-3', undefined],
    ]);
    expect(events[3]).toMatchObject({
      issue: { id: '10000', fields: { summary: 'Portal 2.0', project: expect.objectContaining({ key: 'PMO' }) } },
      changelog: {
        items: [
          {
            field: 'summary',
            fieldtype: 'jira',
            fieldId: 'summary',
            fromString: 'Customer portal relaunch',
            toString: 'Portal 2.0',
            from: null,
            to: null,
          },
        ],
      },
      timestamp: '2026-05-01T09:00:00.000Z',
    });
  });

  it('tell of a deleted issue as it was, once it is gone with its properties; only Delete issues may delete', async () => {
    expect((await site.call(AS.lead, 'DELETE', '/rest/api/3/issue/DEL-1')).status).toBe(403);
    expect(events).toEqual([]);
    await site.call(AS.member, 'PUT', '/rest/api/3/issue/DEL-1/properties/note', { a: 1 });
    expect((await site.call(AS.member, 'DELETE', '/rest/api/3/issue/DEL-1')).status).toBe(204);
    expect(events.at(-1)).toMatchObject({
      eventType: 'avi:jira:deleted:issue',
      actor: AS.member,
      issue: { key: 'DEL-1', fields: { summary: 'Set up the build pipeline' } },
    });
    expect((await site.call(AS.member, 'GET', '/rest/api/3/issue/DEL-1')).status).toBe(404);
    expect(site.store.getProperty(events.at(-1)!.issue.id, 'note')).toBeUndefined();
    expect((await site.call(AS.member, 'DELETE', '/rest/api/3/issue/DEL-1')).status).toBe(404);
  });

  it('are not emitted for refused changes', async () => {
    await site.call(AS.member, 'PUT', '/rest/api/3/issue/PMO-1/properties/x', { a: 1 });
    await site.call(AS.lead, 'PUT', '/rest/api/3/issue/PMO-1/properties/x', 'not json');
    expect(events).toEqual([]);
  });
});

describe('request log', () => {
  it('records method, route template, status and principal, and can be reset', async () => {
    site.emulator.resetRequestLog();
    await site.call(AS.lead, 'GET', '/rest/api/3/search/jql?jql=project%3DPMO');
    await site.call(AS.app, 'GET', '/rest/api/3/issue/PMO-1/properties/tollgate-health');
    await site.call(AS.outsider, 'GET', '/rest/api/3/issue/PMO-1');
    await site.call(AS.lead, 'GET', '/rest/api/3/nope?x=1');
    await site.call(AS.lead, 'PUT', `/rest/api/3/issue/PMO-1/properties/${'k'.repeat(150)}`, 1);
    expect(site.emulator.requestLog()).toEqual([
      { method: 'GET', path: '/rest/api/3/search/jql', status: 200, principal: 'user:acc-petra' },
      {
        method: 'GET',
        path: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
        status: 200,
        principal: 'app',
      },
      { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}', status: 404, principal: 'user:acc-otto' },
      { method: 'GET', path: '/rest/api/3/nope', status: 404, principal: 'user:acc-petra' },
      {
        method: 'PUT',
        path: '/rest/api/3/issue/{issueIdOrKey}/properties/{propertyKey}',
        status: 201,
        principal: 'user:acc-petra',
      },
    ]);
    site.emulator.resetRequestLog();
    expect(site.emulator.requestLog()).toEqual([]);
  });
});

describe('paths Jira does not serve', () => {
  it('answers an unknown path with 404 and a known path with another method with 405, as RFC 7807', async () => {
    const unknown = await site.call(AS.lead, 'POST', '/rest/api/2/issue/PMO-1/comment', { body: 'x' });
    expect([unknown.status, unknown.headers['content-type'], unknown.json]).toEqual([
      404,
      'application/problem+json;charset=UTF-8',
      {
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No endpoint POST /rest/api/2/issue/PMO-1/comment.',
        instance: '/rest/api/2/issue/PMO-1/comment',
      },
    ]);
    const wrongMethod = await site.call(AS.lead, 'POST', '/rest/api/3/issue/PMO-1');
    expect([wrongMethod.status, wrongMethod.headers.allow]).toEqual([405, 'GET, PUT, DELETE']);
  });
});

describe('handle() and the plugin', () => {
  it('ignores principal headers a caller passes to handle(), acting only as the given principal', async () => {
    const response = await site.emulator.handle(
      {
        method: 'GET',
        path: '/rest/api/3/myself',
        headers: { [PRINCIPAL_HEADER]: 'app', [INTERNAL_SECRET_HEADER]: 'whatever' },
      },
      AS.member,
    );
    expect((JSON.parse(response.body) as { accountId: string }).accountId).toBe(PEOPLE.member.accountId);
  });

  it('refuses a principal who does not exist', async () => {
    const response = await site.emulator.handle(
      { method: 'GET', path: '/rest/api/3/myself' },
      { kind: 'user', accountId: 'ghost' },
    );
    expect(response.status).toBe(401);
  });

  it("mounts beside a host's own routes without changing how they parse bodies", async () => {
    const host = Fastify({ logger: false });
    host.post('/api/echo', (request) => request.body);
    await host.register(site.plugin);
    const echo = await host.inject({ method: 'POST', url: '/api/echo', payload: { hello: 'world' } });
    expect(echo.json()).toEqual({ hello: 'world' });
    const jira = await host.inject({
      method: 'GET',
      url: '/rest/api/3/myself',
      headers: {
        authorization: `Basic ${Buffer.from(`${PEOPLE.lead.email}:${PEOPLE.lead.apiToken}`).toString('base64')}`,
      },
    });
    expect(jira.statusCode).toBe(200);
    const page = await host.inject({ method: 'GET', url: '/portfolio' });
    expect(page.statusCode).toBe(404);
    await host.close();
  });
});

describe('indexedPropertiesFromManifest', () => {
  it("reads the repository manifest's jira:entityProperty values", () => {
    const manifest: unknown = parse(readFileSync(resolve(__dirname, '../../manifest.yml'), 'utf8'));
    const indexed = indexedPropertiesFromManifest(manifest);
    expect(indexed.length).toBeGreaterThan(0);
    expect(indexed).toContainEqual({
      propertyKey: 'tollgate-health',
      path: 'rag',
      type: 'string',
      searchAlias: 'tollgateHealth',
    });
    expect(indexed.every((value) => value.propertyKey === 'tollgate-health')).toBe(true);
  });

  it('skips non-issue entities and malformed entries', () => {
    expect(
      indexedPropertiesFromManifest({
        modules: {
          'jira:entityProperty': [
            { entityType: 'project', propertyKey: 'p', values: [{ path: 'a', type: 'string' }] },
            {
              propertyKey: 'i',
              values: [
                { path: 'a', type: 'blob' },
                { path: 'b', type: 'number' },
              ],
            },
          ],
        },
      }),
    ).toEqual([{ propertyKey: 'i', path: 'b', type: 'number' }]);
    expect(indexedPropertiesFromManifest(null)).toEqual([]);
  });
});
