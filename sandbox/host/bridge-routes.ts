/**
 * The server half of the Custom UI bridge: what `window.__bridge.callBridge` sends for commands that need the
 * backend (invoke, getContext, fetchProduct, enableTheming, submit), answered as Forge's host answers them, under
 * the identity fixed when the frame was rendered. Also serves resources per sub-path with Forge's CSP.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ForgeRuntime } from '../forge/types';
import type { JiraEmulator } from '../jira/types';
import {
  type ContentPermissions,
  contentSecurityPolicy,
  contentTypeOf,
  type FrameContext,
  type FrameRegistry,
  injectBridge,
  readIndexHtml,
  resolveResourceFile,
} from './frames';

export interface BridgeDeps {
  readonly frames: FrameRegistry;
  readonly jira: JiraEmulator;
  readonly forge: ForgeRuntime;
  readonly siteUrl: string;
  /** Resource folders by resource key (absolute paths). */
  readonly resources: ReadonlyMap<string, string>;
  readonly permissions: ContentPermissions;
  /** Design-token stylesheets the host injects after `view.theme.enable()`, by colour mode. */
  readonly themeStylesheets: (colorMode: 'light' | 'dark') => string[];
  /** A macro config frame submitted its config (`view.submit`). */
  readonly onSubmit: (frame: FrameContext, config: unknown) => Promise<void>;
  /** CSP violations reported by frames, kept for tests. */
  readonly cspReports: unknown[];
}

interface BridgeCall {
  readonly cmd: string;
  readonly payload: unknown;
}

class BridgeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const BRIDGE_SCRIPT = readFileSync(join(__dirname, 'assets', 'bridge.js'), 'utf8');

/** Where the host serves the design-token CSS it loads into themed frames (see `themeStylesheets`). */
export const TOKEN_STYLESHEET_PATH = '/forge/theme/tokens.css';

// The themes Jira's host loads for `view.theme.enable()`; each is scoped by the `data-theme` the host sets.
const TOKEN_THEMES = [
  'atlassian-light',
  'atlassian-dark',
  'atlassian-spacing',
  'atlassian-typography',
  'atlassian-shape',
];
let tokenStylesheet: string | undefined;

/** The design-token CSS from @atlaskit/tokens' own theme artifacts, as the real host injects it. */
function designTokenCss(): string {
  if (tokenStylesheet === undefined) {
    const load = createRequire(__filename);
    tokenStylesheet = TOKEN_THEMES.map(
      (theme) => (load(`@atlaskit/tokens/dist/cjs/artifacts/themes/${theme}.js`) as { default: string }).default,
    ).join('\n');
  }
  return tokenStylesheet;
}

/** The context `view.getContext()` returns for a frame (docs/platform.md §4, context shapes). */
export function frameContextForView(frame: FrameContext, siteUrl: string): Record<string, unknown> {
  return {
    accountId: frame.accountId,
    cloudId: 'sandbox-cloud',
    siteUrl,
    moduleKey: frame.moduleKey,
    localId: frame.localId,
    locale: frame.locale,
    timezone: frame.timezone,
    extension: frame.extension,
    license: undefined,
    theme: { colorMode: frame.colorMode },
    environmentType: 'DEVELOPMENT',
  };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BridgeError(400, `${what} must be an object`);
  return value as Record<string, unknown>;
}

async function fetchProduct(deps: BridgeDeps, frame: FrameContext, payload: unknown): Promise<Record<string, unknown>> {
  const request = asRecord(payload, 'fetchProduct payload');
  const init = asRecord(request.fetchRequestInit ?? {}, 'fetchRequestInit');
  if (request.product !== 'jira') {
    throw new BridgeError(501, `The sandbox has no ${String(request.product)} REST API; Tollgate reads only Jira.`);
  }
  if (typeof request.restPath !== 'string' || !request.restPath.startsWith('/')) {
    throw new BridgeError(400, 'restPath must be a path starting with /');
  }
  const headers = Object.fromEntries(Array.isArray(init.headers) ? (init.headers as Array<[string, string]>) : []);
  const response = await deps.jira.handle(
    {
      method: typeof init.method === 'string' ? init.method.toUpperCase() : 'GET',
      path: request.restPath,
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
    },
    { kind: 'user', accountId: frame.accountId },
    // Custom UI's requestJira is the app's traffic too, under the same limits.
    { app: true },
  );
  return {
    body: response.body,
    headers: response.headers,
    status: response.status,
    statusText: '',
    isAttachment: false,
  };
}

async function handleCall(deps: BridgeDeps, frame: FrameContext, call: BridgeCall): Promise<unknown> {
  switch (call.cmd) {
    case 'getContext':
      return frameContextForView(frame, deps.siteUrl);
    case 'invoke': {
      const { functionKey, payload, metadata } = asRecord(call.payload, 'invoke payload');
      if (typeof functionKey !== 'string') throw new BridgeError(400, 'functionKey must be a string');
      const body = await deps.forge.invoke(frame.moduleKey, functionKey, payload ?? {}, {
        accountId: frame.accountId,
        moduleKey: frame.moduleKey,
        extension: frame.extension,
        localId: frame.localId,
        locale: frame.locale,
        timezone: frame.timezone,
      });
      return metadata === undefined ? body : { body, metadata: {} };
    }
    case 'fetchProduct':
      return fetchProduct(deps, frame, call.payload);
    case 'enableTheming':
      return { colorMode: frame.colorMode, stylesheets: deps.themeStylesheets(frame.colorMode) };
    case 'submit':
      await deps.onSubmit(frame, asRecord(call.payload ?? {}, 'submit payload').config ?? call.payload);
      return undefined;
    default:
      throw new BridgeError(501, `The sandbox host does not implement the bridge command "${call.cmd}".`);
  }
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  const status = error instanceof BridgeError ? error.status : 500;
  const message = error instanceof Error ? error.message : String(error);
  return reply.code(status).send({ message });
}

/**
 * Registers /forge/bridge.js, /forge/bridge/:token, /forge/resources/:resourceKey/*, /forge/csp-report and the
 * design-token stylesheet at TOKEN_STYLESHEET_PATH.
 */
export function registerBridgeRoutes(app: FastifyInstance, deps: BridgeDeps): void {
  app.get('/forge/bridge.js', (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-store').send(BRIDGE_SCRIPT),
  );
  app.get(TOKEN_STYLESHEET_PATH, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(designTokenCss()),
  );

  app.post<{ Params: { token: string }; Body: BridgeCall }>('/forge/bridge/:token', async (request, reply) => {
    const frame = deps.frames.get(request.params.token);
    if (!frame) return reply.code(401).send({ message: 'This frame has expired; reload the page.' });
    const body = request.body as unknown;
    if (typeof body !== 'object' || body === null || typeof (body as BridgeCall).cmd !== 'string') {
      return reply.code(400).send({ message: 'Expected {cmd, payload}' });
    }
    try {
      return reply.send({ result: (await handleCall(deps, frame, body as BridgeCall)) ?? null });
    } catch (error) {
      return sendError(reply, error);
    }
  });

  app.get<{ Params: { resourceKey: string; '*': string }; Querystring: { context?: string } }>(
    '/forge/resources/:resourceKey/*',
    (request, reply) => {
      const dir = deps.resources.get(request.params.resourceKey);
      if (!dir)
        return reply.code(404).type('text/plain').send(`No resource "${request.params.resourceKey}" in the manifest.`);
      const relative = request.params['*'] || 'index.html';
      if (relative === 'index.html') {
        const indexHtml = readIndexHtml(dir);
        if (indexHtml === undefined) {
          return reply
            .code(404)
            .type('text/plain')
            .send(`Resource "${request.params.resourceKey}" is not built (${dir}).`);
        }
        const token = request.query.context ?? '';
        const csp = contentSecurityPolicy(indexHtml, deps.permissions, deps.siteUrl, '/forge/csp-report');
        return reply
          .header('content-security-policy', csp)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(injectBridge(indexHtml, token));
      }
      const file = resolveResourceFile(dir, relative);
      if (!file) return reply.code(404).type('text/plain').send('Not found');
      return reply.type(contentTypeOf(file)).send(readFileSync(file));
    },
  );

  // Browsers post violations as application/csp-report; keep them so tests can assert there were none.
  app.addContentTypeParser(
    ['application/csp-report', 'application/reports+json'],
    { parseAs: 'string' },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)) as unknown);
      } catch {
        done(null, String(body));
      }
    },
  );
  app.post('/forge/csp-report', (request, reply) => {
    deps.cspReports.push(request.body);
    console.warn('CSP violation reported by a Custom UI frame:', JSON.stringify(request.body));
    return reply.code(204).send();
  });
}
