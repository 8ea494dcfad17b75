package dev.gatehouse.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} references in config strings by environment values, so secrets never
 * sit in the file. An unset variable is an error (never an empty secret).
 */
final class EnvInterpolator {
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Function<String, String> env;

    EnvInterpolator(Function<String, String> env) {
        this.env = env;
    }

    /** @return the interpolated value; adds an error and returns null when a variable is unset */
    String interpolate(String value, String path, List<String> errors) {
        Matcher m = REF.matcher(value);
        if (!m.find()) {
            return value;
        }
        StringBuilder out = new StringBuilder();
        m.reset();
        while (m.find()) {
            String resolved = env.apply(m.group(1));
            if (resolved == null) {
                errors.add(path + ": environment variable '" + m.group(1) + "' is not set");
                return null;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString();
    }

    static EnvInterpolator system() {
        Map<String, String> environment = System.getenv();
        return new EnvInterpolator(environment::get);
    }
}
