package dev.gatehouse.observe;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.ReasonCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One JSON line per request ({@link DecisionEntry}): what was asked, by whom, what was decided and why.
 * Denials are always logged; allows are sampled at {@code gatehouse.decision-log.allow-sample-rate}.
 *
 * <p>Where it goes ({@code gatehouse.decision-log.output}): {@code stdout} (default) through a
 * batching writer thread that also formats the lines, because at tens of thousands of requests a
 * second a logging framework's per-line formatting and write cost a third of a core, and the event
 * loop should pay only for handing the entry over; {@code logger} through the
 * {@code gatehouse.decision} category of the application log (formatted, slower); or a file path
 * (appended, batched like stdout). Lines the writer cannot keep up with are dropped and counted
 * ({@code gatehouse_decision_log_dropped_total}), never allowed to block the event loop.
 */
@Singleton // used on every request: no client proxy between the caller and the bean
public class DecisionLog {
    private static final Logger LOG = Logger.getLogger("gatehouse.decision");

    private final double allowSampleRate;
    private final AsyncLineWriter<Finished> writer;
    private final MeterRegistry registry;
    private final Gauge droppedGauge;

    /** An entry and when it was recorded: the writer thread formats it later. */
    private record Finished(DecisionEntry entry, long millis) {
    }

    public DecisionLog(GatehouseSettings settings, MeterRegistry registry) {
        this.allowSampleRate = settings.decisionLog().allowSampleRate();
        String output = settings.decisionLog().output();
        if ("logger".equals(output)) {
            this.writer = null;
        } else {
            OutputStream out;
            try {
                out = "stdout".equals(output) ? new FileOutputStream(FileDescriptor.out)
                        : new FileOutputStream(output, true);
            } catch (IOException e) {
                throw new UncheckedIOException("gatehouse.decision-log.output: cannot open " + output, e);
            }
            this.writer = new AsyncLineWriter<>(out, 65_536, "gatehouse-decision-log",
                    (f, sb) -> format(f.entry(), f.millis(), sb));
        }
        // exported whatever the output (0 through the logger, which never drops), so that the alert
        // and dashboard read a series that exists rather than an absent one
        this.registry = registry;
        this.droppedGauge = Gauge.builder("gatehouse.decision.log.dropped", this, d -> d.writer == null ? 0 : d.writer.dropped())
                .description("Decision-log lines dropped because the writer could not keep up")
                .register(registry);
    }

    @PreDestroy
    void close() throws InterruptedException {
        // Quarkus registers meters in Micrometer's static global composite, which outlives this
        // application: a later application in the same JVM (the test run restarts Quarkus) would
        // otherwise be handed this gauge, still reading this instance
        registry.remove(droppedGauge);
        if (writer != null) {
            writer.close();
        }
    }

    /** Whether an entry with this verdict is written at all (allows are sampled); check before building one. */
    public boolean wants(Verdict verdict) {
        return wants(verdict, false);
    }

    /** Like {@link #wants(Verdict)}; {@code always} skips the sampling of allows (a shadow disagreement). */
    public boolean wants(Verdict verdict, boolean always) {
        if (!always && verdict == Verdict.ALLOW && (allowSampleRate <= 0
                || (allowSampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= allowSampleRate))) {
            return false;
        }
        return writer != null || LOG.isInfoEnabled();
    }

    /**
     * Writes one line. Fields (documented in the README): {@code time}, {@code request_id}, {@code app},
     * {@code host}, {@code method}, {@code path}, {@code status}, {@code decision}, {@code reasons},
     * {@code rule}, {@code policy_version}, {@code user}, {@code idp}, {@code device_id}, {@code client},
     * {@code latency_ms}, {@code upstream_status}, {@code token_error}, {@code shadow} (shadow mode:
     * {@code {decision, reasons, rule, agrees}} of the candidate policy); absent values are left out.
     */
    public void record(DecisionEntry e) {
        long now = System.currentTimeMillis();
        if (writer != null) {
            writer.write(new Finished(e, now));
        } else {
            StringBuilder sb = new StringBuilder(320);
            format(e, now, sb);
            LOG.info(sb);
        }
    }

    /** Appends the JSON line of one entry (without the line end). */
    static void format(DecisionEntry e, long millis, StringBuilder sb) {
        sb.append('{');
        sb.append("\"time\":\"");
        Timestamps.appendIso(sb, millis);
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

    /**
     * {@code "shadow":{"decision":"deny","reasons":[...],"rule":"...","agrees":false},}; no {@code rule}
     * when the candidate's deciding rule was not evaluated ({@link Decision#evaluatedRule()}).
     */
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

    static void escape(StringBuilder sb, String value) {
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
}
