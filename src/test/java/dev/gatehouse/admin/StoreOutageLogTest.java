package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.StoreStatus;
import dev.gatehouse.store.StoreUnavailableException;
import dev.gatehouse.testing.MutableClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin requests while the store is down: one WARN per outage (since when, why), a DEBUG line with
 * the stack trace per request; a new outage is reported again.
 */
class StoreOutageLogTest {
    private final MutableClock clock = new MutableClock();
    private final StoreStatus status = new StoreStatus(clock);
    private final StoreOutageLog outages = new StoreOutageLog(status);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(StoreOutageLog.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previous;

    @BeforeEach
    void attach() {
        previous = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(capture);
    }

    @AfterEach
    void detach() {
        logger.removeHandler(capture);
        logger.setLevel(previous);
    }

    private static StoreUnavailableException down() {
        return new StoreUnavailableException("the store's database cannot be reached: Connection refused",
                new SQLException("Connection refused"));
    }

    private List<LogRecord> atWarn() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    private List<LogRecord> belowInfo() {
        return records.stream().filter(r -> r.getLevel().intValue() < Level.INFO.intValue()).toList();
    }

    /** The message and its parameters (the logging backend formats them later). */
    private static String text(LogRecord r) {
        return r.getMessage() + " " + java.util.Arrays.toString(r.getParameters());
    }

    @Test
    void oneWarningPerOutageAndATracePerRequestAtDebug() {
        status.down("the store's database cannot be reached: Connection refused");
        java.time.Instant since = status.state().since();
        for (int i = 0; i < 50; i++) {
            clock.advance(Duration.ofSeconds(1));
            outages.requestFailed("req-" + i, down());
        }
        List<LogRecord> warnings = atWarn();
        assertThat(warnings).as("one warning for the outage, not one per request").hasSize(1);
        assertThat(warnings.get(0).getThrown()).as("no stack trace at WARN").isNull();
        assertThat(text(warnings.get(0))).contains(since.toString()).contains("Connection refused")
                .contains("503 store-unavailable").contains("req-0");
        assertThat(belowInfo()).as("every request at DEBUG, with its trace").hasSize(50)
                .allSatisfy(r -> assertThat(r.getThrown()).isInstanceOf(StoreUnavailableException.class));

        // the store answers again, then fails again: a new outage, reported again
        status.up();
        clock.advance(Duration.ofMinutes(5));
        status.down("the store's database cannot be reached: Connection refused");
        outages.requestFailed("req-again", down());
        outages.requestFailed("req-again-2", down());
        assertThat(atWarn()).hasSize(2);
        assertThat(text(atWarn().get(1))).contains(status.state().since().toString()).contains("req-again");
    }

    /** A failure the status does not know as an outage (a statement failed on a live connection). */
    @Test
    void aFailureWhileTheStoreCountsAsReachableIsEachReportedWithoutATrace() {
        outages.requestFailed("req-a", down());
        outages.requestFailed("req-b", down());
        assertThat(atWarn()).hasSize(2).allSatisfy(r -> assertThat(r.getThrown()).isNull());
        assertThat(belowInfo()).hasSize(2).allSatisfy(r -> assertThat(r.getThrown()).isNotNull());
    }

    @Test
    void theDecision() {
        assertThat(outages.firstReport(status.state())).as("reachable: every failure").isTrue();
        assertThat(outages.firstReport(status.state())).isTrue();
        status.down("x");
        assertThat(outages.firstReport(status.state())).isTrue();
        clock.advance(Duration.ofMinutes(1));
        status.down("y"); // still the same outage: its start does not move
        assertThat(outages.firstReport(status.state())).isFalse();
        status.up();
        clock.advance(Duration.ofMinutes(1));
        status.down("z");
        assertThat(outages.firstReport(status.state())).isTrue();
        assertThat(outages.firstReport(status.state())).isFalse();
    }
}
