package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.AppService;
import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.gateway.forward.AssertionKeys;
import dev.gatehouse.route.SnapshotUpdate;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.ClusterEvents;
import dev.gatehouse.store.StoreStatus;
import dev.gatehouse.store.StoreUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps this replica's API apps in step with the store. Two ways, one path: the cluster notice
 * {@code app} (from any replica, this one included) re-reads that app, and a periodic check
 * ({@code gatehouse.store.check-interval}) compares the store's change counter with the last one
 * seen and, when it moved, every app's latest version with the one in force, re-reading those that
 * differ. Both end in {@link EffectiveConfig#refresh}, which publishes through the one
 * {@code SnapshotPublisher} and ignores a version already in force.
 *
 * <p>The check is also the store's health probe: a failure marks the store degraded (readiness
 * shows it; the last snapshot stays in force), a success marks it reachable, and a replica that
 * started without the store loads the store's apps at the first check that reaches it.
 *
 * <p>Checks run on one thread of their own, never on an event loop, and never overlap.
 */
@ApplicationScoped
public class ReplicaSync {
    private static final Logger LOG = Logger.getLogger(ReplicaSync.class);
    /** The cluster notice of a new shared assertion key (a rotation); every replica reloads the keys. */
    public static final String KEYS_TOPIC = "keys";

    private final EffectiveConfig effective;
    private final AppStore store;
    private final ClusterEvents events;
    private final StoreStatus status;
    private final AssertionKeys keys;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-store-check");
        t.setDaemon(true);
        return t;
    });
    /** The change counter at the last successful comparison; -1: compare at the next check. */
    private long lastCounter = -1;
    private boolean wasDown;

    public ReplicaSync(EffectiveConfig effective, AppStore store, ClusterEvents events, StoreStatus status,
                       AssertionKeys keys, GatehouseSettings settings) {
        this.keys = keys;
        this.effective = effective;
        this.store = store;
        this.events = events;
        this.status = status;
        this.interval = settings.store().checkInterval();
    }

    /** Subscribes to app notices and starts the periodic check; called once the first snapshot is in force. */
    public void start() {
        events.subscribe(AppService.TOPIC, this::onNotice);
        events.subscribe(KEYS_TOPIC, k -> keys.reloadShared());
        events.onReconnect(this::checkSoon);
        long ms = Math.max(100, interval.toMillis());
        thread.scheduleWithFixedDelay(this::check, effective.storeLoaded() ? ms : 0, ms, TimeUnit.MILLISECONDS);
    }

    /** Runs a check now, on the check thread (after a gap in the notices). */
    public void checkSoon() {
        thread.execute(() -> {
            lastCounter = -1; // compare every version, whatever the counter says
            check();
        });
    }

    private void onNotice(String appId) {
        try {
            effective.refresh(appId);
        } catch (StoreUnavailableException e) {
            status.down(e.getMessage());
            LOG.warnf("cannot read app %s after its change notice (%s); the periodic check tries again", appId,
                    e.getMessage());
        }
    }

    /** One check: see the class comment. Never throws (a scheduled task that throws stops). */
    void check() {
        try {
            if (!effective.storeLoaded()) {
                SnapshotUpdate update = effective.storeReturned(store.live());
                LOG.infof("the store answers: %d app(s) written through the admin API are in force (%d added)",
                        effective.apiAppCount(), update.added().size());
                lastCounter = -1;
            }
            if (keys.sharedPending()) {
                reloadKeys();
            }
            long counter = store.changeCounter();
            if (counter != lastCounter) {
                Map<String, Long> known = effective.knownVersions();
                int behind = 0;
                for (Map.Entry<String, Long> e : store.currentVersions().entrySet()) {
                    Long mine = known.get(e.getKey());
                    if (mine == null || mine < e.getValue()) {
                        behind++;
                        effective.refresh(e.getKey());
                    }
                }
                // candidate (shadow) policies are audited writes too, so the same counter covers them
                effective.refreshCandidates();
                // and so are key rotations: a replica that missed the "keys" notice switches here
                if (lastCounter >= 0 && keys.rotatable() && !keys.sharedPending()) {
                    try {
                        keys.reloadShared(); // logs only when the key set changed
                    } catch (StoreUnavailableException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        LOG.errorf("the shared assertion keys cannot be re-read (%s): this replica keeps the keys "
                                + "it has", e.getMessage());
                    }
                }
                if (behind > 0 && lastCounter >= 0) {
                    LOG.infof("periodic check: %d app(s) were behind the store (found by the periodic check, not by a change notice)", behind);
                }
                lastCounter = counter;
            }
            status.up();
            if (wasDown) {
                LOG.info("the store answers again");
                wasDown = false;
            }
        } catch (StoreUnavailableException e) {
            status.down(e.getMessage());
            if (!wasDown) {
                LOG.errorf("the store cannot be reached (%s): the config in force stays, admin writes answer 503",
                        e.getMessage());
            }
            wasDown = true;
        } catch (RuntimeException e) {
            LOG.error("periodic store check failed", e);
        }
    }

    /** Switches to the shared keys; a fault there must not keep app changes from propagating. */
    private void reloadKeys() {
        try {
            keys.reloadShared();
            LOG.info("the shared assertion keys are in use");
        } catch (StoreUnavailableException e) {
            throw e; // the store is down: reported by the check
        } catch (RuntimeException e) {
            LOG.errorf("the shared assertion keys cannot be used (%s): this replica keeps signing with its own key",
                    e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }
}
