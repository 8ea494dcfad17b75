package dev.gatehouse.observe;

import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.access.Verdict;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
    private final AsyncLineWriter<DecisionEntry> writer;
    private final MeterRegistry registry;
    private final Gauge droppedGauge;

    /**
     * The logger output's formatting, per event loop (its caches are not thread-safe; the other outputs
     * format on their writer thread).
     */
    private static final ThreadLocal<LoggerLine> LOGGER_LINES = ThreadLocal.withInitial(LoggerLine::new);

    private static final class LoggerLine {
        final DecisionLineFormat format = new DecisionLineFormat();
        final LineBuffer buffer = new LineBuffer(1024);
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
            DecisionLineFormat format = new DecisionLineFormat(); // the writer thread's alone
            this.writer = new AsyncLineWriter<>(out, 65_536, "gatehouse-decision-log", format::format);
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
            writer.write(e, now); // the time rides beside the entry: no wrapper object per line
        } else {
            LoggerLine line = LOGGER_LINES.get();
            line.buffer.clear();
            line.format.format(e, now, line.buffer);
            LOG.info(line.buffer.toString());
        }
    }

    /** The JSON line of one entry recorded at {@code millis} (without the line end): for tests and tools. */
    static String format(DecisionEntry e, long millis) {
        LineBuffer line = new LineBuffer(512);
        new DecisionLineFormat().format(e, millis, line);
        return line.toString();
    }
}
