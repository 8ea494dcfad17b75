package dev.gatehouse.observe;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.ReasonCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One JSON line per request: app, decision, reasons, subject, request id, policy version, latency.
 * Denials are always logged; allows are sampled at {@code gatehouse.decision-log.allow-sample-rate}.
 *
 * <p>Where it goes ({@code gatehouse.decision-log.output}): {@code stdout} (default) through a
 * batching writer thread, because at tens of thousands of requests a second a logging framework's
 * per-line formatting and write cost a third of a core; {@code logger} through the
 * {@code gatehouse.decision} category of the application log (formatted, slower); or a file path
 * (appended, batched like stdout). Lines the writer cannot keep up with are dropped and counted
 * ({@code gatehouse_decision_log_dropped_total}), never allowed to block the event loop.
 */
@ApplicationScoped
public class DecisionLog {
    private static final Logger LOG = Logger.getLogger("gatehouse.decision");

    private final double allowSampleRate;
    private final AsyncLineWriter writer;

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
            this.writer = new AsyncLineWriter(out, 65_536, "gatehouse-decision-log");
            Gauge.builder("gatehouse.decision.log.dropped", writer, AsyncLineWriter::dropped)
                    .description("Decision-log lines dropped because the writer could not keep up")
                    .register(registry);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        if (writer != null) {
            writer.close();
        }
    }

    /** One decided request. {@code subject} may be null (anonymous). */
    public void record(String requestId, String app, Verdict verdict, List<? extends ReasonCode> reasons, String rule,
                       String subject, long policyVersion, String method, int status, long nanos) {
        if (verdict == Verdict.ALLOW && (allowSampleRate <= 0
                || (allowSampleRate < 1 && ThreadLocalRandom.current().nextDouble() >= allowSampleRate))) {
            return;
        }
        if (writer == null && !LOG.isInfoEnabled()) {
            return;
        }
        StringBuilder sb = new StringBuilder(256).append('{');
        field(sb, "request_id", requestId).append(',');
        field(sb, "app", app).append(',');
        field(sb, "decision", verdict.label()).append(',');
        sb.append("\"reasons\":[");
        for (int i = 0; i < reasons.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(reasons.get(i).code()).append('"');
        }
        sb.append("],");
        if (rule != null) {
            field(sb, "rule", rule).append(',');
        }
        if (subject != null) {
            field(sb, "subject", subject).append(',');
        }
        field(sb, "method", method).append(',');
        sb.append("\"status\":").append(status).append(',');
        sb.append("\"policy_version\":").append(policyVersion).append(',');
        long micros = nanos / 1000;
        sb.append("\"latency_ms\":").append(micros / 1000).append('.');
        long frac = micros % 1000;
        sb.append(frac < 100 ? (frac < 10 ? "00" : "0") : "").append(frac).append('}');
        if (writer != null) {
            writer.write(sb.toString());
        } else {
            LOG.info(sb);
        }
    }

    private static StringBuilder field(StringBuilder sb, String name, String value) {
        sb.append('"').append(name).append("\":\"");
        escape(sb, value);
        return sb.append('"');
    }

    static void escape(StringBuilder sb, String value) {
        for (int i = 0; i < value.length(); i++) {
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
