package dev.gatehouse.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The last hour's allowed and denied requests per app, for the admin console, read from the
 * request counters ({@code gatehouse_requests_total}) that every request already increments: a
 * sample of the totals once a minute, the last hour being the totals now minus the sample of an
 * hour ago. So the request path pays nothing for it, and the memory is about 61 small maps.
 */
@Singleton
public class RecentTraffic {
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration STEP = Duration.ofMinutes(1);
    private static final String COUNTER = "gatehouse.requests";

    /** Allowed, denied (by policy) and unauthenticated requests of one app. */
    public record Counts(long allowed, long denied, long unauthenticated) {
        static final Counts ZERO = new Counts(0, 0, 0);

        Counts minus(Counts o) {
            return new Counts(allowed - o.allowed, denied - o.denied, unauthenticated - o.unauthenticated);
        }
    }

    /**
     * Counts per app since {@code since}: an hour ago, or the process start when it is younger.
     *
     * @param since  start of the window
     * @param counts by app id; an app without requests is absent
     */
    public record Window(Instant since, Map<String, Counts> counts) {
        /** The counts of one app (zeros when it had no requests). */
        public Counts of(String app) {
            return counts.getOrDefault(app, Counts.ZERO);
        }
    }

    private record Sample(Instant at, Map<String, Counts> totals) {
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>(); // oldest first; guarded by this

    @Inject
    public RecentTraffic(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    void start(@Observes StartupEvent event, Vertx vertx) {
        sample();
        vertx.setPeriodic(STEP.toMillis(), id -> sample());
    }

    /** Takes a sample of the totals now and forgets those no longer needed for the window. */
    public synchronized void sample() {
        Instant now = clock.instant();
        samples.addLast(new Sample(now, totals()));
        // keep the newest sample at least WINDOW old (the baseline) and everything after it
        Instant horizon = now.minus(WINDOW);
        while (samples.size() >= 2 && !secondOldest().at().isAfter(horizon)) {
            samples.removeFirst();
        }
    }

    private Sample secondOldest() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }

    /** The counts of the last hour (or since start), per app. */
    public synchronized Window lastHour() {
        Map<String, Counts> now = totals();
        Instant horizon = clock.instant().minus(WINDOW);
        Sample base = null;
        for (Sample s : samples) {
            if (base == null || !s.at().isAfter(horizon)) {
                base = s;
            }
        }
        Map<String, Counts> out = new HashMap<>();
        Map<String, Counts> before = base == null ? Map.of() : base.totals();
        now.forEach((app, c) -> out.put(app, c.minus(before.getOrDefault(app, Counts.ZERO))));
        return new Window(base == null ? clock.instant() : base.at(), out);
    }

    private Map<String, Counts> totals() {
        Map<String, long[]> sums = new HashMap<>();
        for (Counter c : registry.find(COUNTER).counters()) {
            String app = c.getId().getTag("app");
            String decision = c.getId().getTag("decision");
            int slot = "allow".equals(decision) ? 0 : "deny".equals(decision) ? 1
                    : "unauthenticated".equals(decision) ? 2 : -1;
            if (app != null && slot >= 0) {
                sums.computeIfAbsent(app, k -> new long[3])[slot] += (long) c.count();
            }
        }
        Map<String, Counts> out = new HashMap<>();
        sums.forEach((app, s) -> out.put(app, new Counts(s[0], s[1], s[2])));
        return out;
    }
}
