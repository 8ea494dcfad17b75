package dev.gatehouse.admin.console;

/**
 * A console request refused before anything was done (a form from elsewhere, an expired form
 * token, a body that is not a form): rendered as a page in plain words by {@link ConsolePages}.
 */
public class ConsoleRefusal extends RuntimeException {
    private final int status;
    private final String reason;

    public ConsoleRefusal(int status, String reason, String message) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    /** Kebab-case, as the audit log's outcome. */
    public String reason() {
        return reason;
    }
}
