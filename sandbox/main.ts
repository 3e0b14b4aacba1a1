/**
 * `npm start`: builds what the app needs, seeds the demo on first run, and serves the sandbox.
 * Options: PORT (default 8080), SANDBOX_DIR (default .sandbox), `--reset` to start from a fresh demo,
 * TOLLGATE_LATENCY=on to answer the app's Jira requests with Jira Cloud's measured latency (sandbox/jira/latency.ts),
 * and its Forge SQL queries with the latency we assume for Forge SQL (sandbox/forge/sql/sql-service.ts).
 */
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildResources } from './build-resources';
import { SQL_LATENCY } from './forge/sql/sql-service';
import { openSandboxData, startSandbox } from './server';

async function main(): Promise<void> {
  const appRoot = resolve(__dirname, '..');
  const dataDir = resolve(appRoot, process.env.SANDBOX_DIR ?? '.sandbox');
  const port = Number(process.env.PORT ?? 8080);
  if (process.argv.includes('--reset')) {
    rmSync(dataDir, { recursive: true, force: true });
    console.warn(`Reset: removed ${dataDir}; the demo will be seeded afresh.`);
  }
  if (process.argv.includes('--reset-only')) {
    openSandboxData({ appRoot, dataDir }).close();
    console.warn(`Seeded a fresh demo in ${dataDir}.`);
    return;
  }
  buildResources(appRoot, (line) => console.warn(line));
  const latency = process.env.TOLLGATE_LATENCY === 'on' ? { latency: {}, sqlLatency: SQL_LATENCY } : {};
  const sandbox = await startSandbox({ appRoot, dataDir, port, ...latency });
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.warn(
    `Tollgate sandbox running at ${sandbox.url}  (Jira: ${sandbox.url}/jira/issues, Confluence: ${sandbox.url}/wiki)`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
