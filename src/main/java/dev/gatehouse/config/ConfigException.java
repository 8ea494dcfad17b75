package dev.gatehouse.config;

import java.util.List;

/** A configuration was rejected; carries every error found, each with its path. */
public class ConfigException extends RuntimeException {
    private final List<String> errors;

    public ConfigException(String source, List<String> errors) {
        super("invalid Gatehouse config " + source + " (" + errors.size() + " error"
                + (errors.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", errors));
        this.errors = List.copyOf(errors);
    }

    /** Each error as {@code path: message}. */
    public List<String> errors() {
        return errors;
    }
}
