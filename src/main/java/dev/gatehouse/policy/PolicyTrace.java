package dev.gatehouse.policy;

/**
 * The per-criterion trace of one evaluation: the deny block and the allow block as trees that
 * mirror the policy document. Every operand is evaluated (no short-circuit), so an admin sees each
 * criterion's outcome, not only the ones the decision needed; since criteria are pure, the blocks'
 * values are the ones the short-circuiting evaluator computes.
 *
 * @param deny  the deny block, or null when the policy has none
 * @param allow the allow block; a {@code no-allow-rule} leaf when the policy has none
 */
public record PolicyTrace(TraceNode deny, TraceNode allow) {
}
