/**
 * Compares two jest `--json` reports: every test of the second run must pass, and must have passed in the first too.
 * `npm run test:shifted` runs it after the suite has run again under a moved clock, so a test that only passes on
 * some days shows up by name.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

interface JestReport {
  readonly testResults: ReadonlyArray<{
    readonly name: string;
    readonly assertionResults: ReadonlyArray<{ readonly fullName: string; readonly status: string }>;
  }>;
}

function outcomes(path: string): Map<string, string> {
  const report = JSON.parse(readFileSync(resolve(path), 'utf8')) as JestReport;
  const byName = new Map<string, string>();
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      byName.set(`${relative(process.cwd(), file.name)} › ${test.fullName}`, test.status);
    }
  }
  return byName;
}

const [today, moved] = process.argv.slice(2).map(outcomes);
if (!today || !moved) throw new Error('usage: same-outcomes <today.json> <moved.json>');
const differ = [...moved].filter(([name, status]) => status !== 'passed' || today.get(name) !== 'passed');
for (const [name, status] of differ) {
  process.stderr.write(`${status} with the clock moved, ${today.get(name) ?? 'not run'} today: ${name}\n`);
}
if (moved.size === 0 || differ.length > 0) process.exit(1);
process.stdout.write(`${moved.size} tests: the same outcome with the clock moved\n`);
