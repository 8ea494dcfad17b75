package dev.gatehouse.admin;

import dev.gatehouse.store.AuditEntry;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.AuditVerifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The audit log as the API and the console read it: entries filtered by app, actor and time,
 * newest first and paged, and the verification of the hash chain. Parameters arrive as the
 * request gave them; a bad one is a 400 {@link ApiProblem}.
 */
@ApplicationScoped
public class AuditService {
    private final AuditLog audit;
    private final AuditVerifier verifier;

    public AuditService(AuditLog audit, AuditVerifier verifier) {
        this.audit = audit;
        this.verifier = verifier;
    }

    /**
     * One page of entries.
     *
     * @param items      at most the limit asked for
     * @param nextCursor the cursor of the next page, or null on the last
     */
    public record Page(List<AuditEntry> items, String nextCursor) {
    }

    /** Entries matching every given filter (blank: none), newest first. */
    public Page query(String app, String actor, String since, String until, String cursor, String limit) {
        int n = Requests.limit(limit);
        List<AuditEntry> page = audit.query(blankToNull(app), blankToNull(actor), instant("since", since),
                instant("until", until), Cursors.decodeNumber(cursor), n + 1);
        return new Page(page.stream().limit(n).toList(),
                page.size() > n ? Cursors.encode(Long.toString(page.get(n - 1).seq())) : null);
    }

    /** Walks the chain. */
    public AuditVerifier.Result verify() {
        return verifier.verify();
    }

    private static Instant instant(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ApiProblem(400, "invalid-parameter", name + " must be an ISO-8601 instant such as "
                    + "2026-01-31T12:00:00Z.");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
