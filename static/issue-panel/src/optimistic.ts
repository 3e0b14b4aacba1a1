/**
 * What the panel shows while an op is on its way: the server's last view with the op's obvious effect applied.
 * Only ops whose effect the panel can know for sure are previewed (ticking, logging, editing and closing RAID
 * items, marking a condition met);
 * the server's answer replaces the preview, and a refusal drops it (useProject.ts).
 */
import { type ProjectApplyPayload, type ProjectPanelView, type RaidItemView } from '../../../src/contract/issue-panel';
import { itemViewOf } from './raid-model';

export type PanelOp = ProjectApplyPayload['op'];

/** The view as it will look once `op` lands, or the view unchanged when the op has no previewable effect. */
export function previewOp(
  view: ProjectPanelView,
  op: PanelOp,
  by: string,
  at: string,
  tempId: string,
): ProjectPanelView {
  if (op.type === 'checkItem' && view.currentGate?.id === op.gateId) {
    const criteria = view.currentGate.criteria.map((criterion) =>
      criterion.id === op.criterionId
        ? {
            ...criterion,
            item:
              op.state === 'open' && op.score === undefined && (op.evidence ?? []).length === 0
                ? null
                : {
                    state: op.state,
                    score: op.score ?? null,
                    note: op.note ?? null,
                    naReason: op.naReason ?? null,
                    evidence: op.evidence ?? criterion.item?.evidence ?? [],
                    by,
                    at,
                  },
          }
        : criterion,
    );
    return { ...view, currentGate: { ...view.currentGate, criteria } };
  }
  if (op.type === 'addRaidItem') {
    // The PMO's bands are in the view, so the preview bands a new risk the way the server will.
    const item = itemViewOf({ ...op.item, id: tempId, status: 'open' }, view.riskBands);
    return { ...view, raid: { ...view.raid, [item.type]: [...view.raid[item.type], item] } };
  }
  if (op.type === 'updateRaidItem') {
    return mapRaid(view, op.id, (item) => itemViewOf({ ...item, ...op.changes }, view.riskBands));
  }
  if (op.type === 'meetCondition') {
    const decisions = view.decisions.map((decision) =>
      decision.id === op.decisionId
        ? {
            ...decision,
            conditions: decision.conditions.map((c) => (c.id === op.conditionId ? { ...c, metAt: at, metBy: by } : c)),
          }
        : decision,
    );
    return { ...view, decisions };
  }
  if (op.type === 'closeRaidItem') {
    return mapRaid(view, op.id, (item) => ({
      ...item,
      status: 'closed',
      closedAt: at,
      closedBy: by,
      closeNote: op.note,
    }));
  }
  if (op.type === 'reopenRaidItem') {
    return mapRaid(view, op.id, (item) => ({
      ...item,
      status: 'open',
      closedAt: null,
      closedBy: null,
      closeNote: `Reopened: ${op.reason}`,
    }));
  }
  return view;
}

function mapRaid(view: ProjectPanelView, id: string, change: (item: RaidItemView) => RaidItemView): ProjectPanelView {
  const raid = Object.fromEntries(
    Object.entries(view.raid).map(([type, items]) => [
      type,
      items.map((item) => (item.id === id ? change(item) : item)),
    ]),
  ) as unknown as ProjectPanelView['raid'];
  return { ...view, raid };
}
