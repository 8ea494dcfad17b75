package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Outcome;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.ReasonCode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decision-log line, byte for byte: the field order, what is left out, the escaping (quotes,
 * backslashes, control characters, non-ASCII, lone surrogates) and the numbers. The byte formatter
 * is compared with {@link ReferenceLine}, the {@code StringBuilder} formatter it replaced (kept here
 * verbatim, its line encoded as the writer encoded it), on hand-picked and on random entries.
 */
class DecisionLineFormatTest {
    private static final long T = 1_796_265_661_123L; // 2026-12-03T02:41:01.123Z

    private static final DecisionEntry ALLOW = new DecisionEntry("7f3a9c2e-1b4d-4e8f-a0b1-c2d3e4f5a6b7", "wiki",
            "wiki.example.com", "GET", "/api/orders/12345", 200, Verdict.ALLOW, List.of(Reason.ACCEPT), "allow",
            7, "alice", "corp", "laptop-1", "10.1.2.3", 1_234_567, 200, null);

    private record Code(String code) implements ReasonCode {
        @Override
        public String explanation() {
            return "";
        }

        @Override
        public String remedy() {
            return "";
        }
    }

    @Test
    void aTypicalAllowLine() {
        assertThat(DecisionLog.format(ALLOW, T)).isEqualTo("{\"time\":\"2026-12-03T02:41:01.123Z\","
                + "\"request_id\":\"7f3a9c2e-1b4d-4e8f-a0b1-c2d3e4f5a6b7\",\"app\":\"wiki\",\"host\":\"wiki.example.com\","
                + "\"method\":\"GET\",\"path\":\"/api/orders/12345\",\"status\":200,\"decision\":\"allow\","
                + "\"reasons\":[\"accept\"],\"rule\":\"allow\",\"policy_version\":7,\"user\":\"alice\",\"idp\":\"corp\","
                + "\"device_id\":\"laptop-1\",\"client\":\"10.1.2.3\",\"upstream_status\":200,\"latency_ms\":1.234}");
        assertSameAsReference(ALLOW, T);
    }

    @Test
    void absentValuesAreLeftOutAndAShadowIsWrittenBeforeTheUpstreamStatus() {
        DecisionEntry bare = new DecisionEntry("r1", "none", null, "GET", null, 404, Verdict.NOT_FOUND,
                List.of(RequestReason.values()[0], RequestReason.values()[1]), null, 0, null, null, null, null, 5_000, 0, null);
        assertThat(DecisionLog.format(bare, 0)).isEqualTo("{\"time\":\"1970-01-01T00:00:00.000Z\",\"request_id\":\"r1\","
                + "\"app\":\"none\",\"method\":\"GET\",\"status\":404,\"decision\":\"not_found\",\"reasons\":[\""
                + RequestReason.values()[0].code() + "\",\"" + RequestReason.values()[1].code() + "\"],"
                + "\"policy_version\":0,\"latency_ms\":0.005}");

        DecisionEntry shadowed = new DecisionEntry("r2", "wiki", "wiki.test", "POST", "/", 200, Verdict.ALLOW,
                List.of(), null, 3, "bob", "corp", null, "::1", 12_345_678_901L, 201, "token-expired",
                new Decision(Outcome.DENY, List.of(Reason.REJECT), "deny.or[0]", 4), false);
        assertThat(DecisionLog.format(shadowed, T)).endsWith("\"reasons\":[],\"policy_version\":3,\"user\":\"bob\","
                + "\"idp\":\"corp\",\"client\":\"::1\",\"token_error\":\"token-expired\",\"shadow\":{\"decision\":\"deny\","
                + "\"reasons\":[\"reject\"],\"rule\":\"deny.or[0]\",\"agrees\":false},\"upstream_status\":201,"
                + "\"latency_ms\":12345.678}");
        assertSameAsReference(bare, 0);
        assertSameAsReference(shadowed, T);

        DecisionEntry unevaluated = new DecisionEntry("r3", "wiki", "wiki.test", "GET", "/", 200, Verdict.ALLOW,
                List.of(Reason.ACCEPT), "allow", 3, null, null, null, null, 0, 200, null,
                new Decision(Outcome.UNAUTHENTICATED, List.of(Reason.USER_UNAUTHENTICATED), "allow.and[0]", 4), true);
        assertThat(DecisionLog.format(unevaluated, T)).contains("\"shadow\":{\"decision\":\"deny\","
                + "\"reasons\":[\"user-unauthenticated\"],\"agrees\":true},");
        assertSameAsReference(unevaluated, T);
    }

    @Test
    void stringsAreEscapedAsJsonAndWrittenAsUtf8() {
        DecisionEntry e = new DecisionEntry("q\"uote\\back", "wiki", "h\u0000\u001f\n\t\u007f", "GET",
                "/caf\u00e9/\u4e2d/\ud83d\ude00", 200, Verdict.ALLOW, List.of(Reason.ACCEPT), "allow", 1,
                "lone\ud800high", "lone\udc00low", "end\ud83d", "\ud83d\"", 0, 0, null);
        String line = DecisionLog.format(e, T);
        assertThat(line)
                .contains("\"request_id\":\"q\\\"uote\\\\back\"")
                .contains("\"host\":\"h\\u0000\\u001f\\u000a\\u0009\u007f\"")
                .contains("\"path\":\"/caf\u00e9/\u4e2d/\ud83d\ude00\"")
                .contains("\"user\":\"lone?high\"", "\"idp\":\"lone?low\"", "\"device_id\":\"end?\"",
                        "\"client\":\"?\\\"\"");
        assertThat(new JsonObject(line).getString("path")).isEqualTo("/caf\u00e9/\u4e2d/\ud83d\ude00");
        assertSameAsReference(e, T);
    }

    @Test
    void negativeAndExtremeNumbersAreWrittenAsBefore() {
        for (long nanos : new long[] {0, 999, 1000, 999_999, 1_000_000, -1_000, -5_000, -1_234_567, Long.MAX_VALUE,
                Long.MIN_VALUE}) {
            for (long version : new long[] {0, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
                DecisionEntry e = new DecisionEntry("r", "a", null, "GET", null, Integer.MIN_VALUE, Verdict.DENY,
                        List.of(), null, version, null, null, null, null, nanos, Integer.MAX_VALUE, null);
                assertSameAsReference(e, T);
            }
        }
    }

    /** Random entries through one formatter, so its kept fragments are hit, missed and replaced. */
    @Test
    void randomEntriesEqualTheReference() {
        Random random = new Random(13);
        DecisionLineFormat format = new DecisionLineFormat();
        LineBuffer buffer = new LineBuffer(64);
        long millis = T;
        String[] pool = new String[12];
        for (int i = 0; i < pool.length; i++) {
            pool[i] = randomString(random);
        }
        for (int i = 0; i < 50_000; i++) {
            millis += random.nextInt(4) == 0 ? random.nextInt(3_000_000) : random.nextInt(3);
            DecisionEntry e = randomEntry(random, pool);
            buffer.clear();
            format.format(e, millis, buffer);
            byte[] expected = reference(e, millis);
            assertThat(buffer.copyFrom(0)).as("entry %s at %d", e, millis).isEqualTo(expected);
        }
    }

    /** What the writer writes for a batch: the lines, each ended by a newline, in order. */
    @Test
    void theWriterWritesTheSameBytes() throws Exception {
        Random random = new Random(7);
        String[] pool = {"wiki", "wiki.test", "alice", "corp", "allow", "GET"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DecisionLineFormat format = new DecisionLineFormat();
        AsyncLineWriter<DecisionEntry> writer = new AsyncLineWriter<>(out, 65_536, "test-decision-writer", format::format);
        for (int i = 0; i < 20_000; i++) {
            DecisionEntry e = randomEntry(random, pool);
            long millis = T + i / 7;
            writer.write(e, millis);
            expected.write(reference(e, millis));
            expected.write('\n');
        }
        writer.close();
        assertThat(writer.dropped()).isZero();
        assertThat(out.toByteArray()).isEqualTo(expected.toByteArray());
    }

    private static void assertSameAsReference(DecisionEntry e, long millis) {
        LineBuffer b = new LineBuffer(8);
        new DecisionLineFormat().format(e, millis, b);
        assertThat(b.copyFrom(0)).as(DecisionLog.format(e, millis)).isEqualTo(reference(e, millis));
    }

    private static byte[] reference(DecisionEntry e, long millis) {
        StringBuilder sb = new StringBuilder();
        ReferenceLine.format(e, millis, sb);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DecisionEntry randomEntry(Random r, String[] pool) {
        Verdict verdict = Verdict.values()[r.nextInt(Verdict.values().length)];
        List<ReasonCode> reasons = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            reasons.add(r.nextBoolean() ? Reason.values()[r.nextInt(Reason.values().length)] : new Code(randomString(r)));
        }
        Decision shadow = r.nextInt(4) != 0 ? null : new Decision(Outcome.values()[r.nextInt(3)],
                r.nextBoolean() ? List.of(Reason.USER_UNAUTHENTICATED) : List.of(Reason.ACCEPT, Reason.REJECT),
                maybe(r, pool), r.nextLong());
        return new DecisionEntry(value(r, pool), value(r, pool), maybe(r, pool), value(r, pool), maybe(r, pool),
                r.nextInt(4) == 0 ? r.nextInt() : 200 + r.nextInt(400), verdict, reasons, maybe(r, pool),
                r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(100), maybe(r, pool), maybe(r, pool), maybe(r, pool),
                maybe(r, pool), r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(100_000_000), r.nextInt(4) == 0 ? r.nextInt() : 200,
                maybe(r, pool), shadow, r.nextBoolean());
    }

    private static String maybe(Random r, String[] pool) {
        return r.nextInt(3) == 0 ? null : value(r, pool);
    }

    /** A value from the pool (the same object, or an equal copy), or a new one. */
    private static String value(Random r, String[] pool) {
        int k = r.nextInt(4);
        if (k == 0) {
            return randomString(r);
        }
        String s = pool[r.nextInt(pool.length)];
        return k == 1 ? new String(s.toCharArray()) : s;
    }

    private static final String ALPHABET = "abcXYZ019-_./:@ \"\\\u0000\u0001\n\r\t\u001f\u007f\u0080\u00e9\u07ff\u0800\u4e2d\uffff";

    private static String randomString(Random r) {
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5) == 0 ? r.nextInt(300) : r.nextInt(24);
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(10)) {
                case 0 -> sb.append("\ud83d\ude00"); // a pair
                case 1 -> sb.append((char) (0xd800 + r.nextInt(0x800))); // any surrogate, often lone
                case 2 -> sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
                default -> sb.append((char) ('a' + r.nextInt(26)));
            }
        }
        return sb.toString();
    }

    /** The formatter the byte formatter replaced (DecisionLog.format before 2026-12-03), verbatim. */
    private static final class ReferenceLine {
        static void format(DecisionEntry e, long millis, StringBuilder sb) {
            sb.append('{');
            sb.append("\"time\":\"");
            appendIso(sb, millis);
            sb.append("\",");
            field(sb, "request_id", e.requestId()).append(',');
            field(sb, "app", e.app()).append(',');
            optional(sb, "host", e.host());
            field(sb, "method", e.method()).append(',');
            optional(sb, "path", e.path());
            sb.append("\"status\":").append(e.status()).append(',');
            field(sb, "decision", e.verdict().label()).append(',');
            sb.append("\"reasons\":[");
            List<? extends ReasonCode> reasons = e.reasons();
            for (int i = 0; i < reasons.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(reasons.get(i).code()).append('"');
            }
            sb.append("],");
            optional(sb, "rule", e.rule());
            sb.append("\"policy_version\":").append(e.policyVersion()).append(',');
            optional(sb, "user", e.user());
            optional(sb, "idp", e.idp());
            optional(sb, "device_id", e.deviceId());
            optional(sb, "client", e.client());
            optional(sb, "token_error", e.tokenError());
            if (e.shadow() != null) {
                shadow(sb, e.shadow(), e.shadowAgrees());
            }
            if (e.upstreamStatus() > 0) {
                sb.append("\"upstream_status\":").append(e.upstreamStatus()).append(',');
            }
            long micros = e.nanos() / 1000;
            sb.append("\"latency_ms\":").append(micros / 1000).append('.');
            long frac = micros % 1000;
            sb.append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac).append('}');
        }

        private static void shadow(StringBuilder sb, Decision shadow, boolean agrees) {
            boolean candidateAllows = shadow.allowed();
            sb.append("\"shadow\":{\"decision\":\"").append(candidateAllows ? "allow" : "deny").append("\",\"reasons\":[");
            List<Reason> reasons = shadow.reasons();
            for (int i = 0; i < reasons.size(); i++) {
                sb.append(i == 0 ? "" : ",").append('"').append(reasons.get(i).code()).append('"');
            }
            sb.append("],");
            optional(sb, "rule", shadow.evaluatedRule());
            sb.append("\"agrees\":").append(agrees).append("},");
        }

        private static void optional(StringBuilder sb, String name, String value) {
            if (value != null) {
                field(sb, name, value).append(',');
            }
        }

        private static StringBuilder field(StringBuilder sb, String name, String value) {
            sb.append('"').append(name).append("\":\"");
            escape(sb, value);
            return sb.append('"');
        }

        private static void escape(StringBuilder sb, String value) {
            // most values need no escaping: one bulk append instead of a call per character
            int n = value.length();
            int clean = 0;
            while (clean < n) {
                char c = value.charAt(clean);
                if (c < 0x20 || c == '"' || c == '\\') {
                    break;
                }
                clean++;
            }
            if (clean == n) {
                sb.append(value);
                return;
            }
            sb.append(value, 0, clean);
            for (int i = clean; i < n; i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            sb.append(String.format("\\u%04x", (int) c));
                        } else {
                            sb.append(c);
                        }
                    }
                }
            }
        }

        /** Timestamps.appendIso before 2026-12-03, verbatim (its day cache left out). */
        private static void appendIso(StringBuilder sb, long epochMillis) {
            long day = Math.floorDiv(epochMillis, 86_400_000L);
            int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
            sb.append(java.time.LocalDate.ofEpochDay(day).toString() + 'T');
            two(sb, ms / 3_600_000).append(':');
            two(sb, ms / 60_000 % 60).append(':');
            two(sb, ms / 1000 % 60).append('.');
            int milli = ms % 1000;
            sb.append(milli < 100 ? (milli < 10 ? "00" : "0") : "").append(milli).append('Z');
        }

        private static StringBuilder two(StringBuilder sb, int v) {
            return sb.append(v < 10 ? "0" : "").append(v);
        }
    }
}
