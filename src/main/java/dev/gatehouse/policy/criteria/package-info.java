/**
 * The criteria of the policy language, one small class each, all implementing {@link
 * dev.gatehouse.policy.criteria.Criterion}.
 *
 * <p>Rule of this package: a criterion validates its value completely when compiled and, when
 * evaluated, only reads precomputed fields and the request: no parsing, no I/O, no shared state.
 */
package dev.gatehouse.policy.criteria;
