package dev.gatehouse.store;

/**
 * One write of an app, already validated by the caller: the store checks only what must be
 * checked in the transaction (the precondition and the route).
 *
 * @param kind         what the write does
 * @param appId        the app
 * @param expected     the version the caller saw ({@code If-Match}), or null for a create
 *                     ({@code If-None-Match: *})
 * @param document     the new app document (canonical JSON), or null for a delete
 * @param routeKey     the route the document claims ({@code host prefix}, lower case), or null
 * @param comment      the author's comment, or null
 * @param rollbackFrom for a rollback, the version whose content this is; for a promotion, the
 *                     version of the candidate policy promoted (which the write removes)
 * @param actor        who writes
 * @param clientAddress the client address, for the audit log
 * @param requestId    the request id, for the audit log
 */
public record AppWrite(Kind kind, String appId, Long expected, String document, String routeKey, String comment,
                       Long rollbackFrom, Actor actor, String clientAddress, String requestId) {

    /** What a write does; each has its audit action. */
    public enum Kind {
        CREATE("app.create"), REPLACE("app.replace"), DELETE("app.delete"), ROLLBACK("app.rollback"),
        /** A replace whose policy is the app's candidate's (shadow mode); removes the candidate. */
        PROMOTE("app.promote");

        private final String action;

        Kind(String action) {
            this.action = action;
        }

        /** The audit log's {@code action}. */
        public String action() {
            return action;
        }
    }
}
