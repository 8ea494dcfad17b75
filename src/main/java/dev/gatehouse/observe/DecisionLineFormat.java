package dev.gatehouse.observe;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Formats a {@link DecisionEntry} as its JSON line (without the line end) straight into a
 * {@link LineBuffer} as UTF-8. The field order, names and escaping are the decision log's format,
 * pinned byte for byte by {@code DecisionLineFormatTest}.
 *
 * <p>Values that repeat from line to line (app, host, method, rule, user, IdP, device) are kept as
 * their finished bytes ({@code "app":"wiki",}), one per field, so a line of the same app and caller
 * as the last is mostly array copies. One instance per writer thread: not thread-safe.
 */
final class DecisionLineFormat {
    private final Timestamps timestamps = new Timestamps();
    private final Field requestId = new Field("request_id", false);
    private final Field app = new Field("app", true);
    private final Field host = new Field("host", true);
    private final Field method = new Field("method", true);
    private final Field path = new Field("path", false);
    private final Field decision = new Field("decision", true);
    private final Field rule = new Field("rule", true);
    private final Field user = new Field("user", true);
    private final Field idp = new Field("idp", true);
    private final Field deviceId = new Field("device_id", true);
    private final Field client = new Field("client", false);
    private final Field tokenError = new Field("token_error", true);
    private final Field shadowRule = new Field("rule", true);

    private static final byte[] TIME = ascii("{\"time\":\"");
    private static final byte[] STATUS = ascii("\"status\":");
    private static final byte[] REASONS = ascii("\"reasons\":[");
    private static final byte[] POLICY_VERSION = ascii("\"policy_version\":");
    private static final byte[] UPSTREAM_STATUS = ascii("\"upstream_status\":");
    private static final byte[] LATENCY = ascii("\"latency_ms\":");
    private static final byte[] SHADOW_ALLOW = ascii("\"shadow\":{\"decision\":\"allow\",\"reasons\":[");
    private static final byte[] SHADOW_DENY = ascii("\"shadow\":{\"decision\":\"deny\",\"reasons\":[");
    private static final byte[] AGREES = ascii("\"agrees\":true},");
    private static final byte[] DISAGREES = ascii("\"agrees\":false},");
    private static final byte[] LIST_END = ascii("],");

    /** Appends the line of one entry recorded at {@code millis} (epoch ms), without the line end. */
    void format(DecisionEntry e, long millis, LineBuffer out) {
        out.put(TIME);
        timestamps.append(out, millis);
        out.put((byte) '"').put((byte) ',');
        requestId.write(out, e.requestId());
        app.write(out, e.app());
        host.writeOptional(out, e.host());
        method.write(out, e.method());
        path.writeOptional(out, e.path());
        out.put(STATUS).decimal(e.status()).put((byte) ',');
        decision.write(out, e.verdict().label());
        out.put(REASONS);
        codes(out, e.reasons());
        out.put(LIST_END);
        rule.writeOptional(out, e.rule());
        out.put(POLICY_VERSION).decimal(e.policyVersion()).put((byte) ',');
        user.writeOptional(out, e.user());
        idp.writeOptional(out, e.idp());
        deviceId.writeOptional(out, e.deviceId());
        client.writeOptional(out, e.client());
        tokenError.writeOptional(out, e.tokenError());
        if (e.shadow() != null) {
            shadow(out, e.shadow(), e.shadowAgrees());
        }
        if (e.upstreamStatus() > 0) {
            out.put(UPSTREAM_STATUS).decimal(e.upstreamStatus()).put((byte) ',');
        }
        long micros = e.nanos() / 1000;
        out.put(LATENCY).decimal(micros / 1000).put((byte) '.');
        long frac = micros % 1000;
        if (frac >= 0 && frac < 1000) {
            out.threeDigits((int) frac);
        } else {
            // a negative duration (never measured, but written as the former StringBuilder line did)
            out.put((byte) '0').put((byte) '0').decimal(frac);
        }
        out.put((byte) '}');
    }

    /**
     * {@code "shadow":{"decision":"deny","reasons":[...],"rule":"...","agrees":false},}; no {@code rule}
     * when the candidate's deciding rule was not evaluated ({@link Decision#evaluatedRule()}).
     */
    private void shadow(LineBuffer out, Decision shadow, boolean agrees) {
        out.put(shadow.allowed() ? SHADOW_ALLOW : SHADOW_DENY);
        codes(out, shadow.reasons());
        out.put(LIST_END);
        shadowRule.writeOptional(out, shadow.evaluatedRule());
        out.put(agrees ? AGREES : DISAGREES);
    }

    /** Reason codes, quoted, comma-separated; kebab-case by construction, so written unescaped. */
    private static void codes(LineBuffer out, List<? extends ReasonCode> reasons) {
        for (int i = 0; i < reasons.size(); i++) {
            if (i > 0) {
                out.put((byte) ',');
            }
            out.put((byte) '"').utf8(reasons.get(i).code()).put((byte) '"');
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One string field, written {@code "name":"value",} (escaped). A field whose values repeat keeps the
     * bytes of its last value; one whose values are new on every line (request id, path, client) does not,
     * as keeping them would cost a copy per line for nothing.
     */
    private static final class Field {
        private final byte[] prefix;
        private final boolean repeats;
        private String lastValue;
        private byte[] lastBytes;

        Field(String name, boolean repeats) {
            this.prefix = ascii("\"" + name + "\":\"");
            this.repeats = repeats;
        }

        void writeOptional(LineBuffer out, String value) {
            if (value != null) {
                write(out, value);
            }
        }

        void write(LineBuffer out, String value) {
            if (repeats && lastValue != null && (value == lastValue || value.equals(lastValue))) {
                out.put(lastBytes);
                return;
            }
            int start = out.length();
            out.put(prefix).jsonEscaped(value).put((byte) '"').put((byte) ',');
            if (repeats) {
                lastValue = value;
                lastBytes = out.copyFrom(start);
            }
        }
    }
}
