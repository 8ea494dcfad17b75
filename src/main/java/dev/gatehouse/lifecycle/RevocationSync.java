package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.RevocationService;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.LiveConnections;
import dev.gatehouse.revoke.RevocationSet;
import dev.gatehouse.revoke.Revocations;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.RevocationStore;
import dev.gatehouse.store.StoreUnavailableException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's {@link Revocations} equal to the store's: read at startup (before the data
 * port serves), again on every {@code revocation} notice from any replica, and every
 * {@code gatehouse.revocation.refresh-interval} in case a notice was lost; after each change, open
 * WebSockets and streams are re-checked at once. A failed read keeps the set in force (revocations
 * only ever stay on longer, never fall off, when the store is away). Exposes
 * {@code gatehouse_revocations_active}.
 */
@Singleton
public class RevocationSync {
    private static final Logger LOG = Logger.getLogger(RevocationSync.class);

    private final RevocationStore store;
    private final Revocations revocations;
    private final ClusterEvents events;
    private final LiveConnections live;
    private final Vertx vertx;
    private final Clock clock;
    private final long intervalMillis;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private long timer = -1;
    private final MeterRegistry registry;
    private final Gauge activeGauge;

    public RevocationSync(RevocationStore store, Revocations revocations, ClusterEvents events, LiveConnections live,
                          Vertx vertx, Clock clock, GatehouseSettings settings, MeterRegistry registry) {
        this.store = store;
        this.revocations = revocations;
        this.events = events;
        this.live = live;
        this.vertx = vertx;
        this.clock = clock;
        this.intervalMillis = Math.max(100, settings.revocation().refreshInterval().toMillis());
        this.registry = registry;
        this.activeGauge = Gauge.builder("gatehouse.revocations.active", this, s -> s.revocations.current().activeCount(s.clock.millis()))
                .description("Revocations (users, sessions, devices) in force on this replica")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        refresh();
        events.subscribe(RevocationService.TOPIC, id -> refresh());
        timer = vertx.setPeriodic(intervalMillis, id -> {
            if (refreshing.compareAndSet(false, true)) {
                vertx.executeBlocking(() -> {
                    try {
                        refresh();
                    } finally {
                        refreshing.set(false);
                    }
                    return null;
                }, false);
            }
        });
    }

    void stop(@Observes ShutdownEvent event) {
        // the global composite registry outlives this application (see DecisionLog#close)
        registry.remove(activeGauge);
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Re-reads the store; when the set changed, puts it in force and re-checks open connections.
     * Serialised: a notice's read and the periodic one never put an older read in force after a newer.
     */
    synchronized void refresh() {
        RevocationSet next;
        try {
            next = RevocationSet.of(store.active(clock.instant()));
        } catch (StoreUnavailableException e) {
            LOG.warnf("revocations not refreshed (the set in force stays): %s", e.getMessage());
            return;
        }
        RevocationSet before = revocations.current();
        if (next.all().equals(before.all())) {
            return;
        }
        revocations.replace(next);
        LOG.infof("revocations: %d in force", next.activeCount(clock.millis()));
        live.recheckAll();
    }
}
