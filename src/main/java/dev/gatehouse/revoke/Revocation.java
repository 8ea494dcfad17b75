package dev.gatehouse.revoke;

import java.time.Instant;

/**
 * One revocation, as written through the admin API and kept in the store.
 *
 * @param id        store id ({@code rv-} and 20 hex digits)
 * @param kind      what it names
 * @param target    the user's {@code sub}, the session id or the device id
 * @param idp       for a user: the IdP whose {@code sub} it is, or null for that {@code sub} at any IdP;
 *                  null for sessions and devices
 * @param expires   when it stops applying
 * @param reason    why, in the admin's words (may be null)
 * @param created   when it was written
 * @param createdBy {@code sub} of the admin who wrote it (may be null)
 * @param createdByIdp IdP of that admin (may be null)
 */
public record Revocation(String id, Kind kind, String target, String idp, Instant expires, String reason,
                         Instant created, String createdBy, String createdByIdp) {

    /** What a revocation names; {@link #field} is its JSON field and its stored kind. */
    public enum Kind {
        USER("user"), SESSION("session"), DEVICE("device");

        private final String field;

        Kind(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }

        /** The kind stored or sent as {@code field}, or null. */
        public static Kind of(String field) {
            for (Kind k : values()) {
                if (k.field.equals(field)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** Whether it still applies at {@code nowMillis}. */
    public boolean activeAt(long nowMillis) {
        return expires.toEpochMilli() > nowMillis;
    }
}
