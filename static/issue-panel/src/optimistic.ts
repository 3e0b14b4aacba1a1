/**
 * What the panel shows while an op is on its way: the server's last view with the op's obvious effect applied.
 * Only ops whose effect the panel can know for sure are previewed (ticking, logging and closing RAID items);
 * the server's answer replaces the preview, and a refusal drops it (useProject.ts).
 */
import { type ProjectApplyPayload, type ProjectPanelView, type RaidItemView } from '../../../src/contract/issue-panel';

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
              op.state === 'open' && op.score === undefined
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
  if (op.type === 'addRaidItem' && op.item.type === 'risk') {
    const severity = op.item.likelihood * op.item.impact;
    // The PMO's bands come back with the server's answer; until then the NHS/NPSA defaults stand in.
    const band = severity >= 15 ? 'extreme' : severity >= 8 ? 'high' : severity >= 4 ? 'moderate' : 'low';
    const score = { score: severity, band } as const;
    const risk: RaidItemView = {
      id: tempId,
      type: 'risk',
      title: op.item.title,
      status: 'open',
      owner: op.item.owner,
      nextReviewAt: op.item.nextReviewAt ?? null,
      inherent: score,
      residual: score,
    };
    return { ...view, raid: { ...view.raid, risk: [...view.raid.risk, risk] } };
  }
  if (op.type === 'closeRaidItem') {
    const raid = Object.fromEntries(
      Object.entries(view.raid).map(([type, items]) => [
        type,
        items.map((item) => (item.id === op.id ? { ...item, status: 'closed' as const } : item)),
      ]),
    ) as unknown as ProjectPanelView['raid'];
    return { ...view, raid };
  }
  return view;
}
