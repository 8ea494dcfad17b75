package dev.gatehouse.policy;

/**
 * One validation error, located by its path in the document,
 * e.g. {@code apps[2].policy.allow.and[1].device: unknown field 'compliantt'}.
 */
public record PolicyError(String path, String message) {
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
