/**
 * The one matcher grammar ({@code is}, {@code in}, {@code not_in}, {@code starts_with},
 * {@code ends_with}, {@code contains}, {@code has}, {@code gte}, {@code lte}) shared by every
 * criterion that compares strings, lists or numbers.
 *
 * <p>Rule of this package: matchers are compiled once, are immutable, and are three-valued: a missing,
 * mistyped or incomplete value is unknown, which never grants.
 */
package dev.gatehouse.policy.match;
