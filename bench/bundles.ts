/**
 * Gzip sizes of each Custom UI resource's JavaScript: the entry chunk index.html loads (what must arrive before the
 * first paint) and every JS file in the build folder together. Resources are built first, as the sandbox builds them.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildResources } from '../sandbox/build-resources';
import { loadManifest } from '../sandbox/forge/manifest';

/** One resource's bundle. */
export interface BundleFigures {
  readonly resource: string;
  readonly path: string;
  /** The entry script(s) index.html loads, gzipped. */
  readonly mainGzipBytes: number;
  readonly mainFiles: readonly string[];
  /** The entry plus the chunks index.html preloads with it (all needed before the first paint), gzipped. */
  readonly firstLoadGzipBytes: number;
  readonly totalGzipBytes: number;
  readonly jsFiles: number;
  /** Why there is no figure (the build failed, or the folder is missing). */
  readonly problem?: string;
}

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsFiles(path);
    return entry.name.endsWith('.js') || entry.name.endsWith('.mjs') ? [path] : [];
  });
}

function gzipBytes(path: string): number {
  return gzipSync(readFileSync(path)).length;
}

/** The module scripts index.html loads (Vite writes one `<script type="module" src=…>`). */
export function entryScripts(indexHtml: string): string[] {
  return [...indexHtml.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)]
    .map((match) => match[1] as string)
    .filter((src) => !/^[a-z]+:/i.test(src) && !src.startsWith('//'))
    .map((src) => src.replace(/^\.?\//, ''));
}

/** The chunks index.html preloads alongside the entry (`<link rel="modulepreload" href=…>`). */
export function preloadedScripts(indexHtml: string): string[] {
  return [...indexHtml.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)]
    .flatMap((match) => /\bhref="([^"]+)"/.exec(match[0])?.slice(1, 2) ?? [])
    .map((href) => href.replace(/^\.?\//, ''));
}

/** Builds the resources (failures are reported per resource, not thrown) and measures each build folder. */
export function measureBundles(appRoot: string, log: (line: string) => void): BundleFigures[] {
  let buildProblem: string | undefined;
  try {
    buildResources(appRoot, log);
  } catch (error) {
    buildProblem = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`build failed: ${buildProblem}`);
  }
  return [...loadManifest(appRoot).resources.values()].map((resource) => {
    const dir = join(appRoot, resource.path);
    const index = join(dir, 'index.html');
    if (!existsSync(index) || !statSync(dir).isDirectory()) {
      return {
        resource: resource.key,
        path: resource.path,
        mainGzipBytes: 0,
        mainFiles: [],
        firstLoadGzipBytes: 0,
        totalGzipBytes: 0,
        jsFiles: 0,
        problem: buildProblem ?? 'no build folder with index.html',
      };
    }
    const html = readFileSync(index, 'utf8');
    const mains = entryScripts(html).map((src) => join(dir, src));
    const preloads = preloadedScripts(html).map((href) => join(dir, href));
    const sizeOf = (paths: readonly string[]): number =>
      paths.filter((path) => existsSync(path)).reduce((sum, path) => sum + gzipBytes(path), 0);
    const all = jsFiles(dir);
    return {
      resource: resource.key,
      path: resource.path,
      mainGzipBytes: sizeOf(mains),
      mainFiles: mains.map((path) => relative(dir, path)),
      firstLoadGzipBytes: sizeOf([...mains, ...preloads]),
      totalGzipBytes: all.reduce((sum, path) => sum + gzipBytes(path), 0),
      jsFiles: all.length,
    };
  });
}
