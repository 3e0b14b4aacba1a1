import { parseGovernanceDocument } from '../../src/domain/documents/governance-document';
import { parseHealthDocument } from '../../src/domain/documents/health-document';
import { mergeRaidShards, raidShardKey } from '../../src/domain/documents/raid-document';
import { demoPortfolio } from './demo-portfolio';

const demo = demoPortfolio('2026-11-21');

describe('the demo portfolio', () => {
  it('is the same on every reset for the same day', () => {
    expect(JSON.stringify(demoPortfolio('2026-11-21'))).toBe(JSON.stringify(demo));
  });

  it('has forty registry projects, a few in the confidential project', () => {
    expect(demo.issues).toHaveLength(40);
    expect(demo.keys.filter((k) => k.startsWith('CONF-')).length).toBeGreaterThanOrEqual(2);
  });

  it('stores only documents the app itself can read back', () => {
    for (const issue of demo.issues) {
      const health = parseHealthDocument(issue.properties['tollgate-health']);
      expect(health.ok).toBe(true);
      const governance = issue.properties['tollgate-governance'];
      if (governance === undefined) continue;
      expect(parseGovernanceDocument(governance).ok).toBe(true);
      const shards = [1, 2, 3].map((n) => issue.properties[raidShardKey(n)]);
      expect(mergeRaidShards(shards).ok).toBe(true);
    }
  });

  it('tells a believable story: every colour, every decision, every stage of Cooper', () => {
    const rags = demo.issues.map((i) => (i.properties['tollgate-health'] as { rag: string }).rag);
    for (const rag of ['green', 'amber', 'red', 'none']) expect(rags).toContain(rag);
    expect(rags.filter((r) => r === 'red').length).toBeLessThan(rags.length / 2);
    const decisions = demo.issues.flatMap(
      (i) =>
        (i.properties['tollgate-governance'] as { decisions?: Array<{ outcome: string }> } | undefined)?.decisions ??
        [],
    );
    for (const outcome of ['GO', 'CONDITIONAL_GO', 'HOLD', 'RECYCLE', 'KILL']) {
      expect(decisions.map((d) => d.outcome)).toContain(outcome);
    }
    const statuses = new Set(demo.issues.map((i) => i.status));
    for (const status of [
      'Discovery',
      'Scoping',
      'Business Case',
      'Development',
      'Testing',
      'Launch',
      'Done',
      'Cancelled',
      'On Hold',
    ]) {
      expect(statuses).toContain(status);
    }
  });
});
