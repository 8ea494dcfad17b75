package dev.gatehouse.policy;

/**
 * Something that explains an answer: a kebab-case code (a bounded set, safe as a metric label), a
 * sentence in plain words and what the caller can do. Policy decisions give {@link Reason}s; answers
 * given without a policy decision (no route, malformed request, rate limit, upstream trouble) give
 * {@code dev.gatehouse.access.RequestReason}s. Both render the same deny page and problem+json.
 */
public interface ReasonCode {
    /** The kebab-case code, e.g. {@code groups-unauthorized}. */
    String code();

    /** One sentence in plain words saying what was checked and failed (or held). */
    String explanation();

    /** What the caller can do about it; empty when nothing useful can be said. */
    String remedy();
}
