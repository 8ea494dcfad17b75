package dev.gatehouse.cli;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The environment as the offline commands see it: a variable that is set resolves to its value;
 * an unset one resolves to {@link #placeholder(String)} and is remembered, so that checking a
 * config in CI never needs the production secrets. The placeholder is an https URL, so a
 * {@code ${VAR}} used as (part of) an issuer URL still passes the URL check.
 */
final class LenientEnvironment extends AbstractMap<String, String> {
    private final Map<String, String> real;
    private final Set<String> unset = Collections.synchronizedSet(new LinkedHashSet<>());

    LenientEnvironment(Map<String, String> real) {
        this.real = real;
    }

    static String placeholder(String name) {
        return "https://unset.invalid/" + name;
    }

    @Override
    public String get(Object key) {
        String value = real.get(key);
        if (value != null) {
            return value;
        }
        String name = String.valueOf(key);
        unset.add(name);
        return placeholder(name);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return real.entrySet();
    }

    /** The names that were referenced but not set, in the order first seen. */
    List<String> unsetNames() {
        synchronized (unset) {
            return List.copyOf(unset);
        }
    }
}
