/**
 * The manifest is the contract with Forge (docs/conventions.md rule 1). This checker reads `manifest.yml`, the
 * TypeScript AST of `src/index.ts` and the files it re-exports, and every `invoke('key')` under `static/`, and lists
 * every place they disagree: a handler that is not exported, an export nothing uses, a resolver without
 * `getDefinitions()`, or a front end that invokes a key its resolver never defines.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { parse } from 'yaml';
import { callKeys, parseSource, sourceFiles } from './source-scan';

interface ManifestFunction {
  key: string;
  handler: string;
}
interface ManifestResource {
  key: string;
  path: string;
}
interface Manifest {
  modules?: Record<string, Array<Record<string, unknown>>>;
  resources?: ManifestResource[];
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.js', '.cjs'];

function resolveModule(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [
    base,
    ...SOURCE_EXTENSIONS.map((ext) => base + ext),
    ...SOURCE_EXTENSIONS.map((ext) => join(base, `index${ext}`)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/** Exported names of `src/index.ts`, each with the file that defines it. */
function exportsOf(indexFile: string): Map<string, string> {
  const found = new Map<string, string>();
  const source = parseSource(indexFile);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      const from =
        statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
          ? resolveModule(indexFile, statement.moduleSpecifier.text)
          : indexFile;
      for (const element of statement.exportClause.elements) found.set(element.name.text, from ?? indexFile);
    }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
    if (modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isFunctionDeclaration(statement) && statement.name) found.set(statement.name.text, indexFile);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) found.set(declaration.name.text, indexFile);
        }
      }
    }
  }
  return found;
}

/** Every disagreement between manifest, handler exports, resolver keys and front-end invokes, as readable lines. */
export function checkForgeContract(root: string): string[] {
  const problems: string[] = [];
  const manifest = parse(readFileSync(join(root, 'manifest.yml'), 'utf8')) as Manifest;
  const modules = manifest.modules ?? {};
  const functions = (modules.function ?? []) as unknown as ManifestFunction[];
  const indexFile = resolveModule(join(root, 'src', 'x'), './index');
  const exported = indexFile ? exportsOf(indexFile) : new Map<string, string>();
  if (functions.length > 0 && !indexFile) problems.push('manifest declares functions but src/index.ts does not exist');

  const handlerFiles = new Map<string, string>();
  for (const fn of functions) {
    const [file, name] = fn.handler.split('.');
    if (file !== 'index' || !name) {
      problems.push(
        `function ${fn.key}: handler "${fn.handler}" must be "index.<export>" (src/index.ts re-exports every handler)`,
      );
      continue;
    }
    const definedIn = exported.get(name);
    if (!definedIn) problems.push(`function ${fn.key}: src/index.ts does not export "${name}"`);
    else handlerFiles.set(fn.key, definedIn);
  }
  const handlerNames = new Set(functions.map((fn) => fn.handler.split('.')[1]));
  for (const name of exported.keys()) {
    if (!handlerNames.has(name)) problems.push(`src/index.ts exports "${name}" but no manifest function uses it`);
  }

  // Resolver-backed UI modules: their handler must be a Resolver's getDefinitions(), and their front end may only
  // invoke keys that resolver defines.
  const definedKeys = new Map<string, Set<string>>();
  const resources = new Map((manifest.resources ?? []).map((r) => [r.key, r.path]));
  const invokeScopes: Array<{ dir: string; keys: Set<string>; module: string }> = [];
  for (const [type, list] of Object.entries(modules)) {
    for (const module of list) {
      const resolver = module.resolver as { function?: string } | undefined;
      if (!resolver?.function) continue;
      const file = handlerFiles.get(resolver.function);
      if (!file) {
        if (!functions.some((fn) => fn.key === resolver.function)) {
          problems.push(`${type} ${String(module.key)}: resolver function "${resolver.function}" is not declared`);
        }
        continue;
      }
      if (!readFileSync(file, 'utf8').includes('getDefinitions()')) {
        problems.push(
          `${type} ${String(module.key)}: ${relative(root, file)} does not export resolver.getDefinitions()`,
        );
      }
      const keys = definedKeys.get(file) ?? new Set(callKeys(file, 'define'));
      definedKeys.set(file, keys);
      const resourcePath = typeof module.resource === 'string' ? resources.get(module.resource) : undefined;
      if (resourcePath) {
        const app = resourcePath.split('/').slice(0, 2).join('/');
        invokeScopes.push({ dir: join(root, app), keys, module: `${type} ${String(module.key)}` });
      }
    }
  }
  for (const scope of invokeScopes) {
    for (const file of sourceFiles(join(scope.dir, 'src'))) {
      for (const key of callKeys(file, 'invoke')) {
        if (!scope.keys.has(key)) {
          problems.push(
            `${relative(root, file)} invokes "${key}" but the resolver of ${scope.module} defines no such key`,
          );
        }
      }
    }
  }
  // Shared front-end code may be used by any surface, so its keys must exist in at least one resolver.
  const allKeys = new Set([...definedKeys.values()].flatMap((keys) => [...keys]));
  for (const file of sourceFiles(join(root, 'static', 'common'))) {
    for (const key of callKeys(file, 'invoke')) {
      if (!allKeys.has(key)) problems.push(`${relative(root, file)} invokes "${key}" but no resolver defines it`);
    }
  }
  return problems;
}
