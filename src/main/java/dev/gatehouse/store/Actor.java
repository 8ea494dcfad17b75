package dev.gatehouse.store;

/**
 * Who did something: the verified token's {@code sub} and the id of the IdP that issued it. A
 * {@code sub} is unique only within its IdP, so both are kept. Both are null for a caller without
 * a valid token (a refused attempt).
 */
public record Actor(String subject, String idp) {
    /** A caller Gatehouse could not identify. */
    public static final Actor ANONYMOUS = new Actor(null, null);
}
