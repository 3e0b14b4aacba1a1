/**
 * The function-based workflow validator: Jira calls it on a guarded transition and shows `errorMessage` when it
 * refuses (docs/platform.md §1). It never throws: an error becomes a refusal that says what went wrong.
 */
import { z } from 'zod';
import { forgeDeps } from '../adapters/forge-deps';
import { type AppDeps } from '../app/deps';
import { validateTransitionUseCase, type TransitionAnswer } from '../app/validate-transition-use-case';

const validatorCallSchema = z.object({
  issue: z.object({ key: z.string() }),
  configuration: z.object({ gateId: z.string().optional() }).passthrough().optional(),
  // Which statuses the transition leaves and enters: the gate it passes, or that it passes none, follows from them.
  transition: z.object({ from: z.object({ id: z.string() }), to: z.object({ id: z.string() }) }).optional(),
});

/**
 * The part of Forge's function context the validator reads: the transitioning user is `principal.accountId` (Forge's
 * "Function arguments" reference; there is no top-level `accountId` outside resolvers). No principal means Jira runs
 * the transition with no user, who then holds no Tollgate role.
 */
const functionContextSchema = z.object({ principal: z.object({ accountId: z.string().min(1) }).optional() });

/** Validates a transition for the user making it (`context.principal.accountId`). */
export async function validateGateTransition(
  call: unknown,
  context: unknown,
  deps: AppDeps,
): Promise<TransitionAnswer> {
  const parsed = validatorCallSchema.safeParse(call);
  const invoker = functionContextSchema.safeParse(context ?? {});
  if (!parsed.success || !invoker.success)
    return {
      result: false,
      errorMessage: 'Tollgate could not read this transition; ask an admin to check the workflow.',
    };
  const accountId = invoker.data.principal?.accountId;
  try {
    return await validateTransitionUseCase(deps, {
      issueKey: parsed.data.issue.key,
      ...(accountId ? { accountId } : {}),
      ...(parsed.data.configuration?.gateId ? { gateId: parsed.data.configuration.gateId } : {}),
      ...(parsed.data.transition
        ? {
            transition: {
              fromStatusId: parsed.data.transition.from.id,
              toStatusId: parsed.data.transition.to.id,
            },
          }
        : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      result: false,
      errorMessage: `${parsed.data.issue.key}: Tollgate could not check the gate (${reason}). Try again.`,
    };
  }
}

/** Forge workflow-validator handler: `(payload, context)` as Forge calls every function. */
export const gateValidator = (call: unknown, context?: unknown): Promise<TransitionAnswer> =>
  validateGateTransition(call, context, forgeDeps());
