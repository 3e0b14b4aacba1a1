/**
 * What the ledger keeps per op: the op itself and the context it was applied in (the actor's roles, the mode, the
 * project owner and who owned it during the stage, the op rules in force), so a replay applies it exactly as it was
 * applied the first time — roles can change later, a decision taken by a PMO lead stays valid.
 */
import { z } from 'zod';
import { OP_RULES_VERSION } from '../domain/authority';
import { ENFORCEMENT_MODES } from '../domain/enforcement';
import { type GovernanceOp, governanceOpSchema, type OpContext, type ProjectRecord, replayOps } from '../domain/ops';
import { type Refusal } from '../domain/ops';
import { DECIDER_ROLES, type StageGateTemplate, type TemplateRef } from '../domain/templates';
import { type LedgerEntry } from './ports';

export const ledgerOpSchema = z.object({
  op: governanceOpSchema,
  /**
   * The record the op was applied to, kept only on the first entry of an issue whose documents predate the ledger
   * (seeded, migrated or written before this installation), so a restore has somewhere to start from.
   */
  baseline: z.object({ governance: z.unknown(), raid: z.unknown() }).optional(),
  ctx: z.object({
    roles: z.array(z.enum(DECIDER_ROLES)),
    mode: z.enum(ENFORCEMENT_MODES),
    projectOwner: z.string().optional(),
    stageOwners: z.array(z.string()).max(200).optional(),
    /** Set on ops Tollgate recorded from a workflow event rather than for a person. */
    via: z.literal('workflow').optional(),
    /** The op rules the op was applied under; entries without it were recorded under version 1. */
    rules: z.number().int().positive().optional(),
    templateId: z.string(),
    templateVersion: z.number().int().positive(),
  }),
});
export type LedgerOp = z.infer<typeof ledgerOpSchema>;

/** The ledger payload for an op applied in `ctx`, with the starting record when the ledger has none before it. */
export function ledgerOpOf(op: GovernanceOp, ctx: OpContext, baseline?: ProjectRecord): LedgerOp {
  return {
    op,
    ...(baseline ? { baseline: { governance: baseline.governance, raid: baseline.raid } } : {}),
    ctx: {
      roles: [...ctx.actor.roles],
      mode: ctx.mode,
      // JSON has no undefined: an unowned project's entry leaves the key out.
      ...(ctx.projectOwner === undefined ? {} : { projectOwner: ctx.projectOwner }),
      ...(ctx.stageOwners === undefined ? {} : { stageOwners: [...ctx.stageOwners] }),
      ...(ctx.actor.via === undefined ? {} : { via: ctx.actor.via }),
      rules: ctx.rules ?? OP_RULES_VERSION,
      templateId: ctx.template.id,
      templateVersion: ctx.template.version,
    },
  };
}

/** Result of replaying ledger entries on top of a record. */
export type ReplayResult =
  | { readonly ok: true; readonly record: ProjectRecord | null }
  | { readonly ok: false; readonly problem: string; readonly refusal?: Refusal };

/**
 * Replays ledger entries in order. Each entry must parse, name a template version that still exists, apply
 * cleanly, and land on the revision it was recorded at — anything else means the ledger and the documents disagree.
 */
export function replayLedger(
  start: ProjectRecord | null,
  entries: readonly LedgerEntry[],
  templateFor: (ref: TemplateRef) => StageGateTemplate | undefined,
): ReplayResult {
  let record = start;
  for (const entry of entries) {
    const parsed = ledgerOpSchema.safeParse(entry.op);
    if (!parsed.success) return { ok: false, problem: `ledger entry ${entry.rev} cannot be read` };
    const { op, ctx } = parsed.data;
    const template = templateFor({ templateId: ctx.templateId, templateVersion: ctx.templateVersion });
    if (!template) return { ok: false, problem: `template ${ctx.templateId}@${ctx.templateVersion} no longer exists` };
    const context: OpContext = {
      template,
      mode: ctx.mode,
      actor: { accountId: op.by, roles: ctx.roles, ...(ctx.via === undefined ? {} : { via: ctx.via }) },
      projectOwner: ctx.projectOwner,
      ...(ctx.stageOwners === undefined ? {} : { stageOwners: ctx.stageOwners }),
      rules: ctx.rules ?? 1,
    };
    const replayed = replayOps(record, [op], () => context);
    if (replayed.refusal)
      return { ok: false, problem: `ledger op ${entry.rev} no longer applies`, refusal: replayed.refusal };
    record = replayed.record;
    if (record?.governance.rev !== entry.rev) {
      return { ok: false, problem: `ledger op ${entry.rev} produced revision ${record?.governance.rev ?? 0}` };
    }
  }
  return { ok: true, record };
}
