package dev.gatehouse.store;

/**
 * How a write ended; each outcome is recorded in the audit log in the same transaction.
 *
 * @param outcome  what happened
 * @param written  the new version when {@link Outcome#OK}, else null
 * @param current  the app's latest version as the transaction saw it (0: none)
 * @param conflict for {@link Outcome#ROUTE_TAKEN}, the app that has the route
 * @param audit    the audit entry of this attempt
 */
public record WriteResult(Outcome outcome, AppVersion written, long current, String conflict, AuditEntry audit) {

    /** The outcomes the store decides. */
    public enum Outcome {
        /** Written: a new version. */
        OK("ok"),
        /** The caller's version is not the latest, or a create found the app alive (412). */
        STALE("precondition-failed"),
        /** No such app (404). */
        NOT_FOUND("not-found"),
        /** Another app written through the API serves the same host and path prefix (409). */
        ROUTE_TAKEN("conflict");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        /** The audit log's {@code outcome}. */
        public String label() {
            return label;
        }
    }
}
