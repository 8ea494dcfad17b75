package dev.gatehouse.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.net.IpAddresses;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.ReasonCode;
import dev.gatehouse.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and validates one case file (format: see the {@linkplain dev.gatehouse.cli package
 * documentation}). A broken case is reported with its file, index and fault and does not stop the
 * other cases of the file.
 */
final class CaseFileReader {
    static final Set<String> FILE_KEYS = Set.of("defaults", "cases");
    static final Set<String> CASE_KEYS = Set.of("name", "app", "host", "method", "path", "source_ip", "time",
            "claims", "expect");
    static final Set<String> DEFAULT_KEYS = Set.of("app", "host", "method", "path", "source_ip", "time", "claims");
    static final Set<String> EXPECT_KEYS = Set.of("decision", "reasons", "rule", "app");
    static final List<String> DECISIONS = List.of("allow", "deny", "unauthenticated", "not-found", "bad-request",
            "reserved");
    static final Set<String> REASON_CODES = Stream.concat(Arrays.stream(Reason.values()),
                    Arrays.stream(RequestReason.values())).map(ReasonCode::code)
            .collect(Collectors.toUnmodifiableSet());

    private static final Pattern METHOD = Pattern.compile("[A-Za-z]+");
    private static final Pattern NOW = Pattern.compile("\\$\\{now(?:([+-])([0-9A-Za-z.]+))?}");

    /** A case ready to run, or the faults that keep it from running. */
    record Entry(String label, PolicyCase testCase, List<String> errors) {
    }

    /** The cases of one file, or the faults of the file as a whole. */
    record CaseFile(Path path, List<Entry> entries, List<String> errors) {
    }

    private final Instant now;

    /** @param now the time of cases that give no {@code time} */
    CaseFileReader(Instant now) {
        this.now = now;
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    CaseFile read(Path file) {
        Object tree;
        try {
            ObjectMapper yaml = ConfigLoader.yamlMapper();
            tree = yaml.readValue(Files.readString(file), Object.class);
        } catch (JsonProcessingException e) {
            return new CaseFile(file, List.of(), List.of("not valid YAML: " + yamlProblem(e)));
        } catch (IOException e) {
            return new CaseFile(file, List.of(), List.of("cannot read: " + e));
        }
        if (!(tree instanceof Map<?, ?> root)) {
            return new CaseFile(file, List.of(), List.of("the document must be a mapping with 'cases'"));
        }
        List<String> errors = new ArrayList<>();
        for (Object key : root.keySet()) {
            if (!FILE_KEYS.contains(String.valueOf(key))) {
                errors.add("unknown key '" + key + "' (known: cases, defaults)");
            }
        }
        Map<String, Object> defaults = Map.of();
        Object rawDefaults = root.get("defaults");
        if (rawDefaults != null) {
            if (rawDefaults instanceof Map<?, ?> d) {
                defaults = stringKeys(d);
                for (String key : defaults.keySet()) {
                    if (!DEFAULT_KEYS.contains(key)) {
                        errors.add("defaults: unknown key '" + key + "' (known: " + sorted(DEFAULT_KEYS) + ")");
                    }
                }
            } else {
                errors.add("defaults: expected a mapping, got " + describe(rawDefaults));
            }
        }
        Object rawCases = root.get("cases");
        if (!(rawCases instanceof List<?> list) || list.isEmpty()) {
            errors.add("cases: expected a non-empty list of cases, got " + describe(rawCases));
            return new CaseFile(file, List.of(), errors);
        }
        if (!errors.isEmpty()) {
            return new CaseFile(file, List.of(), errors);
        }
        String stem = stem(file);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            entries.add(readCase(stem, i, list.get(i), defaults));
        }
        return new CaseFile(file, entries, List.of());
    }

    private Entry readCase(String stem, int index, Object raw, Map<String, Object> defaults) {
        String where = "cases[" + index + "]";
        if (!(raw instanceof Map<?, ?> m)) {
            return new Entry(stem + ": " + where, null, List.of(where + ": expected a mapping, got " + describe(raw)));
        }
        Map<String, Object> own = stringKeys(m);
        List<String> errors = new ArrayList<>();
        String name = own.get("name") instanceof String s && !s.isBlank() ? s : null;
        String label = stem + ": " + (name != null ? name : where);
        if (name == null) {
            errors.add(where + ".name: required, a non-empty string");
        }
        for (String key : own.keySet()) {
            if (!CASE_KEYS.contains(key)) {
                errors.add(where + ": unknown key '" + key + "' (known: " + sorted(CASE_KEYS) + ")");
            }
        }
        // the case's own keys replace the defaults; host and app are alternatives, so either one replaces both
        Map<String, Object> c = new LinkedHashMap<>(defaults);
        if (own.containsKey("host") || own.containsKey("app")) {
            c.remove("host");
            c.remove("app");
        }
        c.putAll(own);

        String app = optionalString(c, "app", where, errors);
        String host = optionalString(c, "host", where, errors);
        if (app == null && host == null) {
            errors.add(where + ": give 'host' (routed like the proxy) or 'app' (an app id)");
        } else if (app != null && host != null) {
            errors.add(where + ": give either 'host' or 'app', not both (to check the routing, use host and expect.app)");
        }
        String method = optionalString(c, "method", where, errors);
        if (method == null) {
            method = "GET";
        } else if (!METHOD.matcher(method).matches()) {
            errors.add(where + ".method: not an HTTP method: '" + method + "'");
        }
        String path = optionalString(c, "path", where, errors);
        if (path == null) {
            path = "/";
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query); // the proxy routes and decides on the path without the query
        }
        String sourceIp = optionalString(c, "source_ip", where, errors);
        if (sourceIp == null) {
            sourceIp = "127.0.0.1";
        } else if (IpAddresses.parse(sourceIp) == null) {
            errors.add(where + ".source_ip: not an IPv4 or IPv6 address: '" + sourceIp + "'");
        }
        Instant time = now;
        if (c.containsKey("time")) {
            Object t = c.get("time");
            time = parseTime(t);
            if (time == null) {
                errors.add(where + ".time: expected an ISO-8601 date-time with offset like 2026-03-02T10:15:00+01:00, got "
                        + describe(t));
                time = now;
            }
        }
        Map<String, Object> claims = null;
        if (c.containsKey("claims")) {
            Object rawClaims = c.get("claims");
            if (rawClaims instanceof Map<?, ?> cm) {
                @SuppressWarnings("unchecked")
                Map<String, Object> resolved = (Map<String, Object>) resolve(stringKeys(cm), time, where + ".claims",
                        errors);
                claims = resolved;
            } else {
                errors.add(where + ".claims: expected a mapping of claims (omit 'claims' for an anonymous request), got "
                        + describe(rawClaims));
            }
        }
        PolicyCase.Expectation expect = readExpect(own.get("expect"), where + ".expect", errors);
        if (!errors.isEmpty()) {
            return new Entry(label, null, errors);
        }
        return new Entry(label, new PolicyCase(label, app, host, method.toUpperCase(Locale.ROOT), path, sourceIp, time,
                claims, expect), List.of());
    }

    private static PolicyCase.Expectation readExpect(Object raw, String where, List<String> errors) {
        if (raw == null) {
            errors.add(where + ": required, e.g. {decision: allow}");
            return null;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            errors.add(where + ": expected a mapping, got " + describe(raw));
            return null;
        }
        Map<String, Object> e = stringKeys(m);
        for (String key : e.keySet()) {
            if (!EXPECT_KEYS.contains(key)) {
                errors.add(where + ": unknown key '" + key + "' (known: " + sorted(EXPECT_KEYS) + ")");
            }
        }
        String decision = null;
        if (e.get("decision") instanceof String d && DECISIONS.contains(d.toLowerCase(Locale.ROOT))) {
            decision = d.toLowerCase(Locale.ROOT);
        } else {
            errors.add(where + ".decision: required, one of " + String.join(", ", DECISIONS) + "; got "
                    + describe(e.get("decision")));
        }
        List<String> reasons = new ArrayList<>();
        Object rawReasons = e.get("reasons");
        if (rawReasons instanceof String s) {
            rawReasons = List.of(s);
        }
        if (rawReasons instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Object r = list.get(i);
                if (r instanceof String code && REASON_CODES.contains(code)) {
                    reasons.add(code);
                } else {
                    errors.add(where + ".reasons[" + i + "]: unknown reason code " + describe(r)
                            + " (known: " + sorted(REASON_CODES) + ")");
                }
            }
        } else if (rawReasons != null) {
            errors.add(where + ".reasons: expected a list of reason codes, got " + describe(rawReasons));
        }
        String rule = null;
        if (e.containsKey("rule")) {
            if (e.get("rule") instanceof String r) {
                rule = r;
            } else {
                errors.add(where + ".rule: expected a string like allow.and[1].device, got " + describe(e.get("rule")));
            }
        }
        String app = null;
        if (e.containsKey("app")) {
            if (e.get("app") instanceof String a) {
                app = a;
            } else {
                errors.add(where + ".app: expected an app id, got " + describe(e.get("app")));
            }
        }
        return new PolicyCase.Expectation(decision, List.copyOf(reasons), rule, app);
    }

    /** Replaces {@code ${now}}, {@code ${now-15m}}, {@code ${now+1h}} by epoch seconds, anywhere in the claims. */
    static Object resolve(Object value, Instant time, String where, List<String> errors) {
        if (value instanceof String s && s.contains("${")) {
            Matcher m = NOW.matcher(s.trim());
            if (!m.matches()) {
                errors.add(where + ": bad placeholder '" + s + "' (use ${now}, ${now-15m}, ${now+1h30m})");
                return s;
            }
            long at = time.getEpochSecond();
            if (m.group(1) != null) {
                java.time.Duration d = Durations.parse(m.group(2));
                if (d == null) {
                    errors.add(where + ": placeholder '" + s + "': " + Durations.message(m.group(2), false));
                    return s;
                }
                long amount = d.getSeconds();
                at = m.group(1).equals("-") ? at - amount : at + amount;
            }
            return at;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, time, where + "." + k, errors)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.add(resolve(list.get(i), time, where + "[" + i + "]", errors));
            }
            return out;
        }
        return value;
    }

    private static Instant parseTime(Object raw) {
        if (!(raw instanceof String s)) {
            return null;
        }
        try {
            return ZonedDateTime.parse(s.trim(), DateTimeFormatter.ISO_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The parser's complaint in one line, with the line and column where it happened. */
    static String yamlProblem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        // SnakeYAML: unindented lines say what went wrong; indented ones quote the source
        List<String> said = new ArrayList<>();
        for (String line : original.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                said.add(line.strip());
            }
        }
        String msg = said.isEmpty() ? original.strip() : String.join(": ", said);
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            msg += " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        if (msg.contains("flow")) {
            msg += "; quote values with [ ] { } , such as rule: \"allow.and[1].device\"";
        }
        return msg;
    }

    private static String optionalString(Map<String, Object> c, String key, String where, List<String> errors) {
        Object v = c.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        errors.add(where + "." + key + ": expected a string, got " + describe(v));
        return null;
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String sorted(Set<String> keys) {
        return keys.stream().sorted().collect(Collectors.joining(", "));
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Map) {
            return "a mapping";
        }
        if (v instanceof List) {
            return "a list";
        }
        return v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + v;
    }
}
