package dev.gatehouse.policy;

/**
 * Marks a claims {@link java.util.Map} (and every map and list inside it) as read-only already: every
 * mutator throws ({@code put}, {@code remove}, {@code clear}, removal through its views and
 * iterators, {@code Entry.setValue}). {@link Identity} keeps such a map as it is instead of wrapping
 * it in {@link java.util.Collections#unmodifiableMap}: the token cache holds up to 100,000
 * identities, and the wrapper was 32 bytes of each (BENCHMARKS.md, issue 13 round eight).
 * Implement it only on a map that keeps that promise.
 */
public interface ReadOnlyClaims {
}
