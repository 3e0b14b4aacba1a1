/**
 * A few weeks of weekly-snapshot history for the demo, so the portfolio's trend and its status-inflation flags have
 * something to show on a fresh sandbox (the app's own weekly trigger would need weeks of wall-clock to get there).
 * Each project's history is walked back from the RAG its stored health has today, and tells the stories a PMO
 * sees in real portfolios: reds that slid through amber, a few that jumped from green straight to red ("status
 * inflation", docs/pmo-rules.md), ambers that were green a while ago, greens with a past wobble. Projects are absent
 * from weeks before they were created. Deterministic for a given `today`.
 */
import { type RagOrNone } from '../../src/domain/rag';
import { addCalendarDays, type IsoDate } from '../../src/domain/time';
import { mondayOf, snapshotRag, type WeeklySnapshot } from '../../src/domain/trend';
import { prng } from '../prng';
import { demoPortfolio } from './demo-portfolio';

/** Weeks of history the demo starts with, this week included. */
export const DEMO_SNAPSHOT_WEEKS = 8;

/** One project's RAG `weeksAgo` weeks before this week's snapshot. */
type History = (weeksAgo: number) => RagOrNone;

function historyOf(now: RagOrNone, governed: boolean, random: () => number, inflated: boolean): History {
  // Weeks since the last change of colour, 1–10: some changed before the history starts and are that colour
  // throughout, as in a real portfolio that always carries a few long-standing reds.
  const turned = 1 + Math.floor(random() * 10);
  const ambers = 1 + Math.floor(random() * 3); // how long a slide to red stayed amber: 1–3 weeks
  switch (now) {
    case 'red':
      // Inflation: reported green right up to the week it was red. Otherwise a slide through one to three ambers.
      if (inflated) return (ago) => (ago < turned ? 'red' : 'green');
      return (ago) => (ago < turned ? 'red' : ago < turned + ambers ? 'amber' : 'green');
    case 'amber':
      return (ago) => (ago < turned ? 'amber' : 'green');
    case 'green': {
      // One in four recovered from an amber spell a few weeks back.
      const wobble = random() < 0.25;
      return (ago) => (wobble && ago >= turned + 1 && ago <= turned + 2 ? 'amber' : 'green');
    }
    default:
      // Not under governance: never judged. Closed: it was green while it ran, then nothing.
      return (ago) => (!governed || ago < turned ? 'none' : 'green');
  }
}

/**
 * The demo's weekly snapshots, oldest first, ending with this week's (which says what each project's stored
 * health says today), in the shape the app's weekly trigger stores.
 */
export function demoSnapshots(today: IsoDate, weeks: number = DEMO_SNAPSHOT_WEEKS): WeeklySnapshot[] {
  const demo = demoPortfolio(today);
  const thisWeek = mondayOf(today);
  const projects = demo.issues.map((issue, index) => {
    const key = demo.keys[index] as string;
    const now = snapshotRag(String((issue.properties['tollgate-health'] as { rag?: unknown } | undefined)?.rag));
    const governed = issue.properties['tollgate-governance'] !== undefined;
    return { key, created: issue.created.slice(0, 10), now, governed, random: prng(7_919 * (index + 1)) };
  });
  // Every third red project is one whose report stayed green until it was red: always some, never most.
  const reds = projects.filter((p) => p.now === 'red').map((p) => p.key);
  const inflated = new Set(reds.filter((_, i) => i % 3 === 0));
  const histories = new Map(projects.map((p) => [p.key, historyOf(p.now, p.governed, p.random, inflated.has(p.key))]));
  return Array.from({ length: weeks }, (_, i) => {
    const ago = weeks - 1 - i;
    const week = addCalendarDays(thisWeek, -7 * ago);
    const rows = projects
      .filter((p) => p.created <= addCalendarDays(week, 6))
      .map((p) => ({ key: p.key, rag: ago === 0 ? p.now : (histories.get(p.key) as History)(ago) }));
    return { week, rows };
  });
}
