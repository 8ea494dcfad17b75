package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.MutableClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The last hour's counts from minute samples of the request counters, against a clock the test moves. */
class RecentTrafficTest {
    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-31T12:00:00Z"));
    private final RecentTraffic traffic = new RecentTraffic(registry, clock);

    private void requests(String app, String decision, String reason, int n) {
        Counter.builder("gatehouse.requests").tags("app", app, "decision", decision, "reason", reason)
                .register(registry).increment(n);
    }

    @Test
    void countsSinceStartThenOverASlidingHour() {
        requests("wiki", "allow", "groups-ok", 5); // before the first sample: not in any window
        traffic.sample();
        requests("wiki", "allow", "groups-ok", 3);
        requests("wiki", "deny", "groups-unauthorized", 2);
        requests("wiki", "deny", "device-unauthorized", 1);
        requests("wiki", "unauthenticated", "invalid-token", 4);
        requests("wiki", "not_found", "route-not-found", 9);
        requests("hr", "allow", "groups-ok", 1);

        RecentTraffic.Window young = traffic.lastHour();
        assertThat(young.since()).isEqualTo(clock.instant());
        assertThat(young.of("wiki")).isEqualTo(new RecentTraffic.Counts(3, 3, 4));
        assertThat(young.of("hr")).isEqualTo(new RecentTraffic.Counts(1, 0, 0));
        assertThat(young.of("nobody")).isEqualTo(new RecentTraffic.Counts(0, 0, 0));

        for (int minute = 1; minute <= 90; minute++) { // an hour and a half of samples, one per minute
            clock.advance(Duration.ofMinutes(1));
            if (minute == 30) {
                requests("wiki", "allow", "groups-ok", 10);
            }
            traffic.sample();
        }
        requests("wiki", "allow", "groups-ok", 7);
        RecentTraffic.Window hour = traffic.lastHour();
        assertThat(hour.since()).isEqualTo(clock.instant().minus(Duration.ofHours(1)));
        // minute 30's ten requests are more than an hour old now; the seven just now are in
        assertThat(hour.of("wiki").allowed()).isEqualTo(7);
        assertThat(hour.of("wiki").denied()).isZero();

        clock.advance(Duration.ofMinutes(1));
        traffic.sample();
        assertThat(traffic.lastHour().of("wiki").allowed()).isEqualTo(7);
    }

    @Test
    void keepsOnlyTheSamplesTheWindowNeeds() throws Exception {
        traffic.sample();
        for (int i = 0; i < 500; i++) {
            clock.advance(Duration.ofMinutes(1));
            traffic.sample();
        }
        var field = RecentTraffic.class.getDeclaredField("samples");
        field.setAccessible(true);
        assertThat(((java.util.Collection<?>) field.get(traffic)).size()).isEqualTo(61);
    }
}
