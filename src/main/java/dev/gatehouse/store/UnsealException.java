package dev.gatehouse.store;

/**
 * A sealed value in the store that no configured sealing key opens: a configuration fault (a
 * replica without the key it was sealed with) or an altered row, never an outage. The message
 * names the key that is missing and what to do.
 */
public final class UnsealException extends IllegalStateException {
    public UnsealException(String message) {
        super(message);
    }
}
