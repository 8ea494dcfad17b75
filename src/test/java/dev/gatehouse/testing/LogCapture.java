package dev.gatehouse.testing;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a logger category (and everything below it) writes while a test runs: the decision
 * log ({@code gatehouse.decision}, written as JSON lines in tests) or the whole application log
 * ({@code ""}). Attach in {@code @BeforeEach}, detach in {@code @AfterEach}.
 */
public final class LogCapture extends Handler {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final Level previous;

    private LogCapture(Logger logger, Level level) {
        this.logger = logger;
        this.previous = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        logger.addHandler(this);
    }

    /** Captures the decision log (one JSON line per request). */
    public static LogCapture decisionLog() {
        return new LogCapture(Logger.getLogger("gatehouse.decision"), Level.INFO);
    }

    /** Captures every record of the application, at the levels the test profile configures. */
    public static LogCapture everything() {
        return new LogCapture(Logger.getLogger(""), null);
    }

    public void detach() {
        logger.removeHandler(this);
        logger.setLevel(previous);
    }

    /** Every captured record: its message, its parameters and its exception chain. */
    public List<String> lines() {
        return lines;
    }

    /** The decision-log line of a response (waits up to 3 s: lines are written as exchanges end). */
    public JsonObject decisionLineFor(HttpResponse<String> r) {
        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        long deadline = System.currentTimeMillis() + 3000;
        while (lines.stream().noneMatch(l -> l.contains(id)) && System.currentTimeMillis() < deadline) {
            Thread.onSpinWait();
        }
        return lines.stream().map(JsonObject::new).filter(j -> id.equals(j.getString("request_id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no decision line for " + id + " in " + lines));
    }

    @Override
    public void publish(LogRecord r) {
        StringBuilder sb = new StringBuilder(String.valueOf(r.getMessage()));
        if (r.getParameters() != null && r.getParameters().length > 0) {
            sb.append(' ').append(Arrays.toString(r.getParameters()));
        }
        for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            sb.append(" | ").append(t);
        }
        lines.add(sb.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
