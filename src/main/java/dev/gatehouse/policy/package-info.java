/**
 * The policy language: values, compiler and evaluator.
 *
 * <p>Rule of this package: pure Java. No I/O, no framework types (no {@code io.quarkus},
 * {@code io.vertx} or {@code jakarta} imports, enforced by {@code PolicyPurityTest}),
 * all values immutable, evaluation synchronous and thread-safe.
 */
package dev.gatehouse.policy;
