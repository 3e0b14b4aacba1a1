/**
 * Reading TypeScript sources as ASTs for contract tests: which keys a file passes to `define`, `invoke` or
 * `reason`, without running it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** Parses one file. */
export function parseSource(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/** String-literal first arguments of calls named `name` (`resolver.define('x')`, `invoke('x')`, `invoke<T>('x')`). */
export function callKeys(file: string, name: string): string[] {
  const keys: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const called = ts.isIdentifier(callee)
        ? callee.text
        : ts.isPropertyAccessExpression(callee)
          ? callee.name.text
          : '';
      const first = node.arguments[0];
      if (called === name && first && ts.isStringLiteralLike(first)) keys.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file));
  return keys;
}

/** Source files under `dir`, skipping builds, dependencies, tests and declarations. */
export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === 'build' || entry.name === 'dist') return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|jsx)$/.test(entry.name) && !/\.test\.|\.d\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every string literal in a file (including template literals without substitutions). */
export function stringLiterals(file: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteralLike(node)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(parseSource(file));
  return found;
}
