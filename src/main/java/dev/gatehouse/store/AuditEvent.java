package dev.gatehouse.store;

/**
 * What happened, to be appended to the audit log (which adds the sequence number, the time and
 * the hashes).
 *
 * @param actor         who asked
 * @param action        e.g. {@code app.replace}, {@code admin.refused}
 * @param appId         the app concerned, or null
 * @param clientAddress the client address Gatehouse believed, or null
 * @param requestId     the request's {@code X-Request-Id}
 * @param outcome       e.g. {@code ok}, {@code precondition-failed}, {@code invalid}, {@code denied}
 * @param detail        a JSON object with the particulars (versions, errors, comment), or null
 */
public record AuditEvent(Actor actor, String action, String appId, String clientAddress, String requestId,
                         String outcome, String detail) {
}
