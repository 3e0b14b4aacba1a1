import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ProcessorBuilder, ValidationTypes } from '@forge/manifest';
import { parse } from 'yaml';
import { buildResources } from '../../sandbox/build-resources';
import { HEALTH_INDEX, HEALTH_PROPERTY_KEY } from '../../src/domain/documents/health-document';

const ROOT = resolve(__dirname, '../..');

/** Runs @forge/manifest's FULL validation (schema, handlers, resources, i18n) from the repo root, offline. */
async function validate(): Promise<{ success: boolean; errors: unknown[] }> {
  const previous = process.cwd();
  process.chdir(ROOT); // handler files, resource folders and translations resolve from the working directory
  try {
    const result = await ProcessorBuilder.instance()
      .withValidation(ValidationTypes.FULL)
      .build()
      .process('manifest.yml');
    return { success: result.success, errors: result.errors ?? [] };
  } finally {
    process.chdir(previous);
  }
}

describe('manifest.yml', () => {
  it('passes @forge/manifest FULL validation', async () => {
    // FULL validation checks that every resource folder exists, so the Custom UI apps are built first.
    buildResources(ROOT);
    const result = await validate();
    expect(result.errors).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('runs on nodejs22.x and is compatible with Jira (required) and Confluence', () => {
    const manifest = parse(readFileSync(resolve(ROOT, 'manifest.yml'), 'utf8')) as {
      app: { runtime: { name: string }; compatibility: Record<string, { required: boolean }> };
    };
    expect(manifest.app.runtime.name).toBe('nodejs22.x');
    expect(manifest.app.compatibility).toEqual({ jira: { required: true }, confluence: { required: false } });
  });
});

describe('the JQL index of tollgate-health', () => {
  const manifest = parse(readFileSync(resolve(ROOT, 'manifest.yml'), 'utf8')) as {
    modules: { 'jira:entityProperty': Array<{ propertyKey: string; values: unknown[] }> };
  };
  const modules = manifest.modules['jira:entityProperty'];

  it('indexes exactly the values the read model declares', () => {
    const health = modules.find((m) => m.propertyKey === HEALTH_PROPERTY_KEY);
    expect(health?.values).toEqual(HEALTH_INDEX);
  });

  it('stays within the 100 indexed values Forge allows per app', () => {
    expect(modules.reduce((sum, m) => sum + m.values.length, 0)).toBeLessThanOrEqual(100);
  });
});
