package dev.gatehouse.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the tests need to know about a PromQL expression without a PromQL parser (promtool parses
 * it): the metric names it selects, and the expression with Grafana's template variables replaced
 * by values promtool accepts.
 */
final class PromQl {
    /** Series Prometheus makes itself, not exported by any target. */
    static final Set<String> SYNTHETIC = Set.of("up");

    /** Grafana's variables, by name, as a rule file can hold them: any app, fixed intervals. */
    static final Map<String, String> GRAFANA_VALUES = Map.of(
            "app", ".*",
            "__rate_interval", "5m",
            "__interval", "1m",
            "__range", "1h");

    private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    /** An identifier directly followed by a selector or range: a metric name in any PromQL we write. */
    private static final Pattern SELECTOR = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*[{\\[]");
    /** Any identifier in the gatehouse_ namespace, wherever it stands (e.g. without a selector). */
    private static final Pattern GATEHOUSE = Pattern.compile("\\b(gatehouse_[a-zA-Z0-9_:]*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[a-z]+)?}|\\$([A-Za-z0-9_]+)");
    private static final Set<String> NOT_METRICS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "offset", "bool", "and", "or", "unless");

    private PromQl() {
    }

    /** The metric names {@code expr} selects. */
    static Set<String> metricNames(String expr) {
        String code = QUOTED.matcher(expr).replaceAll("\"\"");
        Set<String> names = new TreeSet<>();
        Matcher m = SELECTOR.matcher(code);
        while (m.find()) {
            if (!NOT_METRICS.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        m = GATEHOUSE.matcher(code);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * {@code expr} with Grafana's variables ({@code $app}, {@code ${app}}, {@code $__rate_interval},
     * ...) replaced by {@link #GRAFANA_VALUES}; a variable without a value there fails.
     */
    static String withGrafanaValues(String expr) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = GRAFANA_VALUES.get(name);
            if (value == null) {
                throw new AssertionError("a dashboard query uses the variable $" + name + ", which the test does not "
                        + "know a value for (add it to " + PromQl.class.getSimpleName() + ".GRAFANA_VALUES): " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
