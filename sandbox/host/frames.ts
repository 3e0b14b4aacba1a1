/**
 * Custom UI frames: each iframe the host renders gets a context token that stands for who is looking at which
 * module where (what Forge's host knows about the frame). The resource is served from its own sub-path, as Forge
 * serves it from the CDN, with the Content-Security-Policy @forge/csp computes from the manifest, and the bridge
 * script injected before the app bundle (docs/platform.md §4; docs/architecture.md §8).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { CSPInjectionService, CSPProcessingService } from '@forge/csp';
import { load } from 'cheerio/slim';
import type { ExtensionContext } from '../forge/types';

/** What the host knows about one rendered frame. */
export interface FrameContext {
  readonly accountId: string;
  readonly moduleKey: string;
  /** The resource the frame shows (a module's main resource, or its config resource). */
  readonly resourceKey: string;
  readonly extension: ExtensionContext;
  readonly localId: string;
  readonly locale: string;
  readonly timezone: string;
  readonly colorMode: 'light' | 'dark';
}

/** Frames by token. Tokens live as long as the server; a reloaded page makes new ones. */
export class FrameRegistry {
  private readonly frames = new Map<string, FrameContext>();

  /** Registers a frame and returns its token. */
  open(context: FrameContext): string {
    const token = randomBytes(16).toString('hex');
    this.frames.set(token, context);
    // Pages are re-rendered often; keep memory bounded by forgetting the oldest frames.
    if (this.frames.size > 5000) {
      const oldest = this.frames.keys().next().value;
      if (oldest !== undefined) this.frames.delete(oldest);
    }
    return token;
  }

  get(token: string): FrameContext | undefined {
    return this.frames.get(token);
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

/** Content type by file extension. */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** A file inside a resource folder, refusing any path that escapes it. */
export function resolveResourceFile(resourceDir: string, relativePath: string): string | undefined {
  const root = normalize(resourceDir);
  const file = normalize(join(root, relativePath || 'index.html'));
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

export interface ContentPermissions {
  readonly content?: { readonly styles?: readonly string[]; readonly scripts?: readonly string[] };
  readonly external?: Readonly<Record<string, unknown>>;
}

/**
 * The Content-Security-Policy Forge would serve this index.html with: @forge/csp's own processing of the document
 * and the manifest's permissions, then its injection service. Reports go to the sandbox so violations are visible.
 */
export function contentSecurityPolicy(
  indexHtml: string,
  permissions: ContentPermissions,
  siteUrl: string,
  reportUri: string,
): string {
  const details = new CSPProcessingService({ info: () => undefined }, load).getCspDetails(
    indexHtml,
    permissions as never,
  );
  const directives = new CSPInjectionService().getInjectableCSP({
    existingCSPDetails: details,
    microsEnv: 'prod',
    hostname: siteUrl,
  });
  return directives.map((d) => (d.startsWith('report-uri ') ? `report-uri ${reportUri}` : d)).join('; ');
}

/** The app's index.html with the bridge script placed first in <head>, as the real host injects it. */
export function injectBridge(indexHtml: string, token: string): string {
  const tag = `<script src="/forge/bridge.js" data-context="${token}" data-endpoint="/forge/bridge/${token}"></script>`;
  return /<head[^>]*>/i.test(indexHtml)
    ? indexHtml.replace(/<head[^>]*>/i, (head) => `${head}${tag}`)
    : `${tag}${indexHtml}`;
}

/** Reads a resource's index.html; undefined when the resource has not been built. */
export function readIndexHtml(resourceDir: string): string | undefined {
  const file = resolveResourceFile(resourceDir, 'index.html');
  return file ? readFileSync(file, 'utf8') : undefined;
}
