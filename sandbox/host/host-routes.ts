/**
 * The pages a newcomer clicks through: a Jira-like issue navigator and issue view (with the app's issue panel and
 * context panel), the app's global and admin pages, Confluence pages with the app's macros, and a sandbox control page.
 * Every page reads Jira through the emulator's REST API as the acting user, so what a page shows is exactly what
 * Jira would let that person see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KvsQuotaState } from '../forge/kvs-quota';
import type { ForgeRuntime, ManifestUiModule } from '../forge/types';
import type { RateLimitState } from '../jira/rate-limits';
import type { JiraEmulator, Principal } from '../jira/types';
import type { ConfluenceStore, PageBlock } from './confluence-store';
import type { FrameRegistry } from './frames';
import { html, type Html, toString } from './html';
import { LOCALES, page, type PageOptions, type Persona, type Session } from './layout';

export interface HostDeps {
  readonly jira: JiraEmulator;
  readonly forge: ForgeRuntime;
  readonly frames: FrameRegistry;
  readonly confluence: ConfluenceStore;
  readonly personas: () => readonly Persona[];
  readonly defaultAccountId: string;
  readonly siteUrl: string;
  /** A message from the app's translations (`title: { i18n }` in the manifest) in the reader's locale. */
  readonly translate: (key: string, locale: string) => string | undefined;
  /** Renders a macro for export (Word/PDF) through the app's adfExport function; null when it has none. */
  readonly exportMacro: (
    session: Session,
    pageId: string,
    block: Extract<PageBlock, { type: 'macro' }>,
  ) => Promise<Html | null>;
}

const COOKIE = {
  user: 'tollgate-sandbox-user',
  colorMode: 'tollgate-sandbox-theme',
  locale: 'tollgate-sandbox-locale',
};
const SEARCH_FIELDS = ['summary', 'status', 'assignee', 'duedate', 'issuetype', 'project', 'labels'];

function cookies(request: FastifyRequest): Record<string, string> {
  const header = request.headers.cookie ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split('='))
      .filter((pair): pair is [string, string] => pair.length === 2 && Boolean(pair[0]))
      .map(([k, v]) => [k, decodeURIComponent(v)]),
  );
}

/** The acting user, theme and locale from the switcher's cookies. */
export function sessionOf(request: FastifyRequest, deps: HostDeps): Session {
  const jar = cookies(request);
  const personas = deps.personas();
  const user =
    personas.find((p) => p.accountId === jar[COOKIE.user]) ??
    personas.find((p) => p.accountId === deps.defaultAccountId) ??
    personas[0];
  if (!user) throw new Error('The sandbox has no users; run npm run sandbox:reset.');
  const locale = LOCALES.some((l) => l.code === jar[COOKIE.locale]) ? (jar[COOKIE.locale] as string) : 'en-US';
  return { user, colorMode: jar[COOKIE.colorMode] === 'dark' ? 'dark' : 'light', locale };
}

interface RestResult {
  readonly status: number;
  readonly json: unknown;
}

async function rest(
  deps: HostDeps,
  principal: Principal,
  method: string,
  path: string,
  body?: unknown,
): Promise<RestResult> {
  const response = await deps.jira.handle(
    {
      method,
      path,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
    principal,
  );
  try {
    return { status: response.status, json: response.body ? (JSON.parse(response.body) as unknown) : null };
  } catch {
    return { status: response.status, json: response.body };
  }
}

function jiraErrorText(json: unknown): string {
  const body = json as { errorMessages?: string[]; errors?: Record<string, string>; message?: string } | null;
  const messages = [
    ...(body?.errorMessages ?? []),
    ...Object.values(body?.errors ?? {}),
    ...(body?.message ? [body.message] : []),
  ];
  return messages.join(' ') || 'Jira refused the request.';
}

type Fields = Record<string, unknown>;
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const named = (value: unknown, key = 'name'): string => str((value as Record<string, unknown> | null)?.[key]);

function ragLozenge(rag: unknown): Html {
  const value = typeof rag === 'string' ? rag : '';
  if (!value || value === 'none') return html`<span class="muted">—</span>`;
  return html`<span class="lozenge ${value}">${value}</span>`;
}

function statusLozenge(status: unknown): Html {
  const category = named((status as Fields | null)?.statusCategory, 'key');
  const colour = category === 'done' ? 'green' : category === 'indeterminate' ? 'blue' : '';
  return html`<span class="lozenge ${colour}">${named(status)}</span>`;
}

function uiModules(deps: HostDeps, type: string): ManifestUiModule[] {
  return [...deps.forge.manifest.uiModules.values()].filter((m) => m.type === type);
}

/** A manifest text (`title`, `label`): plain, or `{ i18n: key }` looked up in the app's catalog for the reader. */
function manifestText(deps: HostDeps, session: Session, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const key = (value as { i18n?: unknown } | null)?.i18n;
  return typeof key === 'string' ? deps.translate(key, session.locale) : undefined;
}

function titleOf(deps: HostDeps, session: Session, module: ManifestUiModule): string {
  return manifestText(deps, session, module.definition.title) ?? module.key;
}

/** An iframe for one Custom UI module, with its frame context registered. */
function forgeFrame(
  deps: HostDeps,
  session: Session,
  module: ManifestUiModule,
  extension: Record<string, unknown>,
  options: { localId?: string; resource?: string; closes?: 'reload' } = {},
): Html {
  const resourceKey = options.resource ?? module.resource;
  if (!resourceKey) return html`<p class="muted">${module.key} has no Custom UI resource.</p>`;
  const localId = options.localId ?? `${module.key}-${String(extension.type)}`;
  const token = deps.frames.open({
    accountId: session.user.accountId,
    moduleKey: module.key,
    resourceKey,
    extension: { ...extension, type: module.type },
    localId,
    locale: session.locale,
    timezone: 'Europe/Oslo',
    colorMode: session.colorMode,
  });
  return html`<iframe
    class="forge"
    title="${titleOf(deps, session, module)}"
    data-module="${module.key}"
    data-token="${token}"
    ${options.closes ? html`data-closes="${options.closes}"` : ''}
    src="/forge/resources/${resourceKey}/index.html?context=${token}"
  ></iframe>`;
}

function shell(
  deps: HostDeps,
  request: FastifyRequest,
  session: Session,
  active: PageOptions['active'],
  title: string,
  body: Html,
): string {
  const product: PageOptions['product'] =
    active === 'confluence' ? 'Confluence' : active === 'sandbox' ? 'Sandbox' : 'Jira';
  const nav: Array<PageOptions['nav'][number]> = [
    { id: 'issues', label: 'Issues', href: '/jira/issues' },
    ...uiModules(deps, 'jira:globalPage').map((m) => ({
      id: 'portfolio' as const,
      label: titleOf(deps, session, m),
      href: `/jira/apps/${m.key}`,
    })),
    ...uiModules(deps, 'jira:adminPage').map((m) => ({
      id: 'admin' as const,
      label: `Settings: ${titleOf(deps, session, m)}`,
      href: `/jira/settings/apps/${m.key}`,
    })),
    { id: 'confluence', label: 'Confluence', href: '/wiki' },
    { id: 'sandbox', label: 'Sandbox', href: '/sandbox' },
  ];
  return toString(
    page({ title, session, personas: deps.personas(), active, nav, product, returnTo: request.url }, body),
  );
}

const send = (reply: FastifyReply, markup: string, status = 200): FastifyReply =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(markup);

async function issuesPage(
  deps: HostDeps,
  request: FastifyRequest<{ Querystring: { jql?: string; page?: string } }>,
  reply: FastifyReply,
) {
  const session = sessionOf(request, deps);
  const jql = request.query.jql ?? 'project = PMO ORDER BY key';
  const result = await rest(
    deps,
    { kind: 'user', accountId: session.user.accountId },
    'POST',
    '/rest/api/3/search/jql',
    {
      jql,
      fields: SEARCH_FIELDS,
      properties: ['tollgate-health'],
      maxResults: 50,
      ...(request.query.page ? { nextPageToken: request.query.page } : {}),
    },
  );
  const body = result.json as {
    issues?: Array<{ key: string; fields: Fields; properties?: Fields }>;
    nextPageToken?: string;
  } | null;
  const rows = body?.issues ?? [];
  const markup = html`<h1>Issues</h1>
    <form method="get" action="/jira/issues" style="display:flex;gap:8px;margin-bottom:16px">
      <input type="text" name="jql" value="${jql}" aria-label="JQL" style="flex:1;font-family:monospace" />
      <button class="primary" type="submit">Search</button>
    </form>
    <p class="muted">
      Try
      <a href="/jira/issues?jql=${encodeURIComponent('tollgateHealth = red ORDER BY key')}">tollgateHealth = red</a>,
      <a href="/jira/issues?jql=${encodeURIComponent('project = PMO AND tollgateStage = "development"')}"
        >tollgateStage = "development"</a
      >,
      <a href="/jira/issues?jql=${encodeURIComponent('project = PMO AND duedate < now() AND statusCategory != Done')}"
        >overdue</a
      >.
    </p>
    ${result.status >= 400 ? html`<p class="error" role="alert">${jiraErrorText(result.json)}</p>` : ''}
    ${
      result.status < 400
        ? html`<table class="list">
              <thead>
                <tr>
                  <th>Key</th>
                  <th>Summary</th>
                  <th>Type</th>
                  <th>Status</th>
                  <th>Assignee</th>
                  <th>Due</th>
                  <th>Health</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (issue) =>
                    html`<tr>
                      <td><a href="/browse/${issue.key}">${issue.key}</a></td>
                      <td>${str(issue.fields.summary)}</td>
                      <td>${named(issue.fields.issuetype)}</td>
                      <td>${statusLozenge(issue.fields.status)}</td>
                      <td>
                        ${named(issue.fields.assignee, 'displayName') || html`<span class="muted">Unassigned</span>`}
                      </td>
                      <td>${str(issue.fields.duedate)}</td>
                      <td>${ragLozenge((issue.properties?.['tollgate-health'] as Fields | undefined)?.rag)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
            ${rows.length === 0 ? html`<p class="muted">No issues match, or none you may see as ${session.user.displayName}.</p>` : ''}
            ${body?.nextPageToken ? html`<p><a href="/jira/issues?jql=${encodeURIComponent(jql)}&page=${encodeURIComponent(body.nextPageToken)}">Next page →</a></p>` : ''}`
        : ''
    }`;
  return send(reply, shell(deps, request, session, 'issues', 'Issues', markup));
}

async function issueView(
  deps: HostDeps,
  request: FastifyRequest<{ Params: { key: string }; Querystring: { error?: string } }>,
  reply: FastifyReply,
) {
  const session = sessionOf(request, deps);
  const principal: Principal = { kind: 'user', accountId: session.user.accountId };
  const key = request.params.key;
  const issue = await rest(deps, principal, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}?fields=*navigable`);
  if (issue.status >= 400) {
    const markup = html`<h1>${key}</h1>
      <p class="error" role="alert">${jiraErrorText(issue.json)}</p>
      <p class="muted">You are acting as ${session.user.displayName} (${session.user.role}).</p>`;
    return send(reply, shell(deps, request, session, 'issues', key, markup), issue.status);
  }
  const data = issue.json as { id: string; key: string; fields: Fields };
  const transitions = await rest(deps, principal, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`);
  const propertyKeys = await rest(deps, principal, 'GET', `/rest/api/3/issue/${encodeURIComponent(key)}/properties`);
  const keys = ((propertyKeys.json as { keys?: Array<{ key: string }> } | null)?.keys ?? []).map((k) => k.key);
  const properties = await Promise.all(
    keys.map(async (k) => ({
      key: k,
      value: (
        await rest(
          deps,
          principal,
          'GET',
          `/rest/api/3/issue/${encodeURIComponent(key)}/properties/${encodeURIComponent(k)}`,
        )
      ).json,
    })),
  );
  const project = data.fields.project as Fields | undefined;
  const extension = {
    issue: { id: data.id, key: data.key, type: named(data.fields.issuetype) },
    project: { id: str(project?.id), key: str(project?.key), type: str(project?.projectTypeKey) || 'software' },
  };
  const fieldRows: Array<[string, Html | string]> = [
    ['Status', statusLozenge(data.fields.status)],
    ['Assignee', named(data.fields.assignee, 'displayName') || 'Unassigned'],
    ['Reporter', named(data.fields.reporter, 'displayName')],
    ['Due date', str(data.fields.duedate) || 'None'],
    ['Labels', Array.isArray(data.fields.labels) ? (data.fields.labels as string[]).join(', ') || 'None' : 'None'],
  ];
  const available =
    (transitions.json as { transitions?: Array<{ id: string; name: string }> } | null)?.transitions ?? [];
  const markup = html`<p class="muted">
      <a href="/jira/issues?jql=${encodeURIComponent(`project = ${str(project?.key)} ORDER BY key`)}"
        >${named(project)}</a
      >
      / ${data.key}
    </p>
    <div class="layout-issue">
      <div>
        <h1>${str(data.fields.summary)}</h1>
        ${request.query.error ? html`<p class="error" role="alert">${request.query.error}</p>` : ''}
        <form method="post" action="/sandbox/transition" style="display:flex;gap:8px;flex-wrap:wrap">
          <input type="hidden" name="issueKey" value="${data.key}" />
          ${available.map((t) => html`<button type="submit" name="transitionId" value="${t.id}">${t.name}</button>`)}
        </form>
        ${uiModules(deps, 'jira:issuePanel').map(
          (m) =>
            html`<section class="frame-box" aria-label="${titleOf(deps, session, m)}">
              <div class="frame-title">${titleOf(deps, session, m)}</div>
              ${forgeFrame(deps, session, m, extension)}
            </section>`,
        )}
        <details>
          <summary>Issue properties (${properties.length}) — what the REST API shows</summary>
          ${properties.map(
            (p) =>
              html`<h2>${p.key}</h2>
                <pre>${JSON.stringify(p.value, null, 2)}</pre>`,
          )}
        </details>
      </div>
      <aside>
        <dl class="fields">
          ${fieldRows.map(
            ([label, value]) =>
              html`<dt>${label}</dt>
                <dd>${value}</dd>`,
          )}
        </dl>
        ${uiModules(deps, 'jira:issueContext').map((m) => issueContextPanel(deps, session, m, extension))}
      </aside>
    </div>`;
  return send(reply, shell(deps, request, session, 'issues', `${data.key} ${str(data.fields.summary)}`, markup));
}

/** A manifest `icon`: an absolute URL, or `resource:<key>;<path>`, a file of one of the app's resources. */
function iconUrl(icon: unknown): string | undefined {
  if (typeof icon !== 'string') return undefined;
  const resource = /^resource:([^;]+);(.+)$/.exec(icon);
  if (resource) return `/forge/resources/${encodeURIComponent(resource[1] ?? '')}/${resource[2] ?? ''}`;
  return /^https?:\/\//.test(icon) ? icon : undefined;
}

const CONTEXT_STATUS_COLOURS: Readonly<Record<string, string>> = {
  success: 'green',
  removed: 'red',
  inprogress: 'blue',
  new: 'purple',
  moved: 'amber',
};

/**
 * A `jira:issueContext` module as Jira shows it: a collapsible panel in the issue view's right-hand column, below the
 * fields, whose header carries the module's icon, label and status. It starts collapsed, and the host script
 * remembers per module whether the reader last left it open, as Jira does.
 */
function issueContextPanel(
  deps: HostDeps,
  session: Session,
  module: ManifestUiModule,
  extension: Record<string, unknown>,
): Html {
  const title = titleOf(deps, session, module);
  const label = manifestText(deps, session, module.definition.label) ?? title;
  const icon = iconUrl(module.definition.icon);
  const status = module.definition.status as { type?: string; value?: { label?: unknown; type?: unknown } } | undefined;
  const statusLabel = typeof status?.value?.label === 'string' ? status.value.label : undefined;
  const statusColour = CONTEXT_STATUS_COLOURS[String(status?.value?.type)] ?? '';
  return html`<details class="context-panel" data-context-panel="${module.key}">
    <summary title="${title}">
      <span class="context-label"
        >${icon ? html`<img src="${icon}" alt="" width="16" height="16" />` : ''}<span>${label}</span></span
      >
      ${
        statusLabel
          ? html`<span class="${status?.type === 'badge' ? 'badge' : `lozenge ${statusColour}`}">${statusLabel}</span>`
          : ''
      }
    </summary>
    <div class="context-body">${forgeFrame(deps, session, module, extension)}</div>
  </details>`;
}

function appPage(deps: HostDeps, type: 'jira:globalPage' | 'jira:adminPage', active: PageOptions['active']) {
  return (request: FastifyRequest<{ Params: { moduleKey: string } }>, reply: FastifyReply) => {
    const session = sessionOf(request, deps);
    const module = uiModules(deps, type).find((m) => m.key === request.params.moduleKey);
    if (!module)
      return send(
        reply,
        shell(
          deps,
          request,
          session,
          active,
          'Not found',
          html`<p class="error">No ${type} module "${request.params.moduleKey}".</p>`,
        ),
        404,
      );
    // `layout: blank` leaves the whole page to the app; `native` (the default) puts Jira's page header, with the
    // module's title, above it (docs/platform.md §8).
    const markup = html`${module.definition.layout === 'blank' ? '' : html`<h1>${titleOf(deps, session, module)}</h1>`}
      ${forgeFrame(deps, session, module, {})}`;
    return send(reply, shell(deps, request, session, active, titleOf(deps, session, module), markup));
  };
}

function wikiIndex(deps: HostDeps, request: FastifyRequest, reply: FastifyReply) {
  const session = sessionOf(request, deps);
  const pages = deps.confluence.list();
  const markup = html`<h1>Confluence pages</h1>
    <ul>
      ${pages.map((p) => html`<li><a href="/wiki/spaces/${p.spaceKey}/pages/${p.id}">${p.title}</a> <span class="muted">(${p.spaceKey})</span></li>`)}
    </ul>
    ${pages.length === 0 ? html`<p class="muted">No pages yet.</p>` : ''}`;
  return send(reply, shell(deps, request, session, 'confluence', 'Confluence', markup));
}

function macroExtension(
  pageId: string,
  spaceKey: string,
  block: Extract<PageBlock, { type: 'macro' }>,
  isEditing: boolean,
) {
  return {
    content: { id: pageId, type: 'page' },
    space: { key: spaceKey },
    config: block.config ?? undefined,
    isEditing,
    // As Forge marks the config dialog (`isEditing` alone is also true for the macro inside the page editor).
    macro: { isConfiguring: isEditing },
    localId: block.localId,
  };
}

function wikiPage(deps: HostDeps) {
  return (request: FastifyRequest<{ Params: { space: string; id: string } }>, reply: FastifyReply) => {
    const session = sessionOf(request, deps);
    const doc = deps.confluence.get(request.params.id);
    if (!doc)
      return send(
        reply,
        shell(deps, request, session, 'confluence', 'Not found', html`<p class="error">No such page.</p>`),
        404,
      );
    const blocks = doc.blocks.map((block) => {
      if (block.type === 'heading') return html`<h2>${block.text}</h2>`;
      if (block.type === 'paragraph') return html`<p>${block.text}</p>`;
      const module = deps.forge.manifest.uiModules.get(block.moduleKey);
      if (!module) return html`<p class="error">Macro ${block.moduleKey} is not installed.</p>`;
      const configResource = (module.definition.config as { resource?: string } | undefined)?.resource;
      return html`<section class="frame-box macro" aria-label="${titleOf(deps, session, module)}">
        <div class="frame-title">
          <span>${titleOf(deps, session, module)}</span>${
            configResource
              ? html`<a class="button" href="/wiki/spaces/${doc.spaceKey}/pages/${doc.id}/config/${block.localId}"
                  >Edit macro</a
                >`
              : ''
          }
        </div>
        ${forgeFrame(deps, session, module, macroExtension(doc.id, doc.spaceKey, block, false), { localId: block.localId })}
      </section>`;
    });
    const markup = html`<article class="confluence-page">
      <p class="muted">
        ${doc.spaceKey} · version ${doc.version} ·
        <a href="/wiki/spaces/${doc.spaceKey}/pages/${doc.id}/export">Export to Word / PDF</a>
      </p>
      <h1>${doc.title}</h1>
      ${blocks}
    </article>`;
    return send(reply, shell(deps, request, session, 'confluence', doc.title, markup));
  };
}

function macroConfigPage(deps: HostDeps) {
  return (request: FastifyRequest<{ Params: { space: string; id: string; localId: string } }>, reply: FastifyReply) => {
    const session = sessionOf(request, deps);
    const doc = deps.confluence.get(request.params.id);
    const block = doc?.blocks.find(
      (b): b is Extract<PageBlock, { type: 'macro' }> => b.type === 'macro' && b.localId === request.params.localId,
    );
    const module = block && deps.forge.manifest.uiModules.get(block.moduleKey);
    const configResource = (module?.definition.config as { resource?: string } | undefined)?.resource;
    if (!doc || !block || !module || !configResource) {
      return send(
        reply,
        shell(
          deps,
          request,
          session,
          'confluence',
          'Not found',
          html`<p class="error">No configurable macro here.</p>`,
        ),
        404,
      );
    }
    const markup = html`<p class="muted"><a href="/wiki/spaces/${doc.spaceKey}/pages/${doc.id}">← ${doc.title}</a></p>
      <h1>Configure: ${titleOf(deps, session, module)}</h1>
      ${forgeFrame(deps, session, module, macroExtension(doc.id, doc.spaceKey, block, true), { localId: block.localId, resource: configResource, closes: 'reload' })}`;
    return send(
      reply,
      shell(deps, request, session, 'confluence', `Configure ${titleOf(deps, session, module)}`, markup),
    );
  };
}

function wikiExport(deps: HostDeps) {
  return async (request: FastifyRequest<{ Params: { space: string; id: string } }>, reply: FastifyReply) => {
    const session = sessionOf(request, deps);
    const doc = deps.confluence.get(request.params.id);
    if (!doc)
      return send(
        reply,
        shell(deps, request, session, 'confluence', 'Not found', html`<p class="error">No such page.</p>`),
        404,
      );
    const blocks = await Promise.all(
      doc.blocks.map(async (block) => {
        if (block.type === 'heading') return html`<h2>${block.text}</h2>`;
        if (block.type === 'paragraph') return html`<p>${block.text}</p>`;
        return (
          (await deps.exportMacro(session, doc.id, block)) ??
          html`<p class="error">We don't have a way to export this macro.</p>`
        );
      }),
    );
    const markup = html`<article class="confluence-page export">
      <p class="muted">Export view (what Word and PDF export receive)</p>
      <p><a href="/wiki/spaces/${doc.spaceKey}/pages/${doc.id}">Back to the page</a></p>
      <h1>${doc.title}</h1>
      ${blocks}
    </article>`;
    return send(reply, shell(deps, request, session, 'confluence', `${doc.title} (export)`, markup));
  };
}

/** Jira's rate limits on the app's traffic as they stand: the hour's points and what was refused, by reason. */
function rateLimitSection(state: RateLimitState | null) {
  if (!state) return html`<h2>Jira rate limits</h2><p class="muted">Off in this sandbox.</p>`;
  return html`<h2>Jira rate limits (the app's traffic)</h2>
    <p>
      Points this hour: <strong>${state.pointsUsed.toLocaleString('en-US')}</strong> of
      ${state.pointsPerHour.toLocaleString('en-US')} (Tier 1; a request costs 1 plus 1 per object it returns, a write
      1). The hour ends at <code>${state.windowEndsAt}</code>.
    </p>
    <table class="list">
      <thead>
        <tr>
          <th>Refused with 429, by <code>RateLimit-Reason</code></th>
          <th>Requests</th>
        </tr>
      </thead>
      <tbody>
        ${Object.entries(state.refused).map(
          ([reason, count]) =>
            html`<tr>
              <td><code>${reason}</code></td>
              <td>${count}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
}

function platformLimitsSection(kvsState: KvsQuotaState | null, lagging: number) {
  return html`<h2>Forge storage and Jira's search index</h2>
    <p>
      ${
        kvsState
          ? html`KVS units this minute: <strong>${kvsState.readUnitsThisMinute.toLocaleString('en-US')}</strong> of
            ${kvsState.readUnitsPerMinute.toLocaleString('en-US')} read,
            <strong>${kvsState.writeUnitsThisMinute.toLocaleString('en-US')}</strong> of
            ${kvsState.writeUnitsPerMinute.toLocaleString('en-US')} write (10 KB units); ${kvsState.refused} requests
            refused with 429.`
          : html`<span class="muted">KVS limits are off in this sandbox.</span>`
      }
    </p>
    <p>
      Issues whose latest change <code>/search/jql</code> does not show yet: <strong>${lagging}</strong> (the index
      catches up within seconds; <code>reconcileIssues</code> and reads by id are current).
    </p>`;
}

function sandboxPage(deps: HostDeps, request: FastifyRequest, reply: FastifyReply) {
  const session = sessionOf(request, deps);
  const invocations = deps.forge.invocations().slice(-30).reverse();
  const scheduled = [...deps.forge.manifest.scheduledTriggers.values()];
  const markup = html`<h1>Sandbox</h1>
    <p>
      This is Tollgate running unchanged against a stand-in for Jira Cloud, Confluence and the Forge runtime. Nothing
      leaves this machine.
    </p>
    <h2>People</h2>
    <table class="list">
      <thead>
        <tr>
          <th>Name</th>
          <th>Role in the demo</th>
          <th>Account id</th>
        </tr>
      </thead>
      <tbody>
        ${deps.personas().map(
          (p) =>
            html`<tr>
              <td>${p.displayName}</td>
              <td>${p.role}</td>
              <td><code>${p.accountId}</code></td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      REST clients: <code>curl -u EMAIL:API_TOKEN ${deps.siteUrl}/rest/api/3/myself</code> (see the README for the
      credentials).
    </p>
    <h2>Scheduled triggers</h2>
    ${scheduled.length === 0 ? html`<p class="muted">The app declares none.</p>` : ''}
    ${scheduled.map((t) => html`<form method="post" action="/sandbox/scheduled/${t.key}" style="display:inline"><button type="submit">Run ${t.key} now</button></form> `)}
    <h2>Jira faults</h2>
    <form method="post" action="/sandbox/faults" style="display:flex;gap:8px;align-items:center">
      <select name="plan" aria-label="Fault plan">
        <option value="off">Off</option>
        <option value="429">20% 429 Too Many Requests</option>
        <option value="503">20% 503</option>
        <option value="latency">300 ms latency</option>
      </select>
      <button type="submit">Apply</button>
    </form>
    ${rateLimitSection(deps.jira.rateLimits())}
    ${platformLimitsSection(deps.forge.kvsQuota(), deps.jira.searchIndexLagging())}
    <h2>Recent function invocations</h2>
    <table class="list">
      <thead>
        <tr>
          <th>When</th>
          <th>Function</th>
          <th>Kind</th>
          <th>ms</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        ${invocations.map(
          (i) =>
            html`<tr>
              <td>${i.startedAt}</td>
              <td>${i.functionKey}</td>
              <td>${i.kind}</td>
              <td>${Math.round(i.durationMs)}</td>
              <td>${i.outcome}${i.error ? html` — <span class="muted">${i.error}</span>` : ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  return send(reply, shell(deps, request, session, 'sandbox', 'Sandbox', markup));
}

function formBody(request: FastifyRequest): Record<string, string> {
  const body = request.body;
  return typeof body === 'object' && body !== null ? (body as Record<string, string>) : {};
}

function safeReturn(target: string | undefined, fallback: string): string {
  return target && target.startsWith('/') && !target.startsWith('//') ? target : fallback;
}

/** Registers the host pages and their form posts. */
export function registerHostRoutes(app: FastifyInstance, deps: HostDeps): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.get('/', (_request, reply) => reply.redirect('/jira/issues'));
  app.get('/favicon.ico', (_request, reply) => reply.code(204).send());
  app.get('/jira/issues', (request: FastifyRequest<{ Querystring: { jql?: string; page?: string } }>, reply) =>
    issuesPage(deps, request, reply),
  );
  app.get(
    '/browse/:key',
    (request: FastifyRequest<{ Params: { key: string }; Querystring: { error?: string } }>, reply) =>
      issueView(deps, request, reply),
  );
  app.get('/jira/apps/:moduleKey', appPage(deps, 'jira:globalPage', 'portfolio'));
  app.get('/jira/settings/apps/:moduleKey', appPage(deps, 'jira:adminPage', 'admin'));
  app.get('/wiki', (request, reply) => wikiIndex(deps, request, reply));
  app.get('/wiki/spaces/:space/pages/:id', wikiPage(deps));
  app.get('/wiki/spaces/:space/pages/:id/config/:localId', macroConfigPage(deps));
  app.get('/wiki/spaces/:space/pages/:id/export', wikiExport(deps));
  app.get('/sandbox', (request, reply) => sandboxPage(deps, request, reply));

  app.post('/sandbox/session', (request, reply) => {
    const form = formBody(request);
    const options = 'Path=/; SameSite=Lax; Max-Age=31536000';
    const set: string[] = [];
    if (form.user && deps.personas().some((p) => p.accountId === form.user))
      set.push(`${COOKIE.user}=${encodeURIComponent(form.user)}; ${options}`);
    if (form.colorMode === 'light' || form.colorMode === 'dark')
      set.push(`${COOKIE.colorMode}=${form.colorMode}; ${options}`);
    if (form.locale && LOCALES.some((l) => l.code === form.locale))
      set.push(`${COOKIE.locale}=${form.locale}; ${options}`);
    return reply.header('set-cookie', set).redirect(safeReturn(form.returnTo, '/jira/issues'), 303);
  });

  app.post('/sandbox/transition', async (request, reply) => {
    const session = sessionOf(request, deps);
    const form = formBody(request);
    const key = form.issueKey ?? '';
    const result = await rest(
      deps,
      { kind: 'user', accountId: session.user.accountId },
      'POST',
      `/rest/api/3/issue/${encodeURIComponent(key)}/transitions`,
      {
        transition: { id: form.transitionId },
      },
    );
    const target = `/browse/${encodeURIComponent(key)}`;
    return reply.redirect(
      result.status >= 400 ? `${target}?error=${encodeURIComponent(jiraErrorText(result.json))}` : target,
      303,
    );
  });

  app.post('/sandbox/faults', (request, reply) => {
    const plan = formBody(request).plan;
    deps.jira.setFaults(
      plan === '429'
        ? { rate: 0.2, kind: '429', retryAfterSeconds: 1 }
        : plan === '503'
          ? { rate: 0.2, kind: '503' }
          : plan === 'latency'
            ? { latencyMs: 300 }
            : null,
    );
    return reply.redirect('/sandbox', 303);
  });

  app.post('/sandbox/scheduled/:key', async (request: FastifyRequest<{ Params: { key: string } }>, reply) => {
    await deps.forge.runScheduledTrigger(request.params.key);
    return reply.redirect('/sandbox', 303);
  });
}
