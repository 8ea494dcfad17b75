package dev.gatehouse.lifecycle;

import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.gateway.LiveConnections;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.AppVersions;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.route.SnapshotPublishing;
import dev.gatehouse.route.SnapshotUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Puts a loaded config in force: builds the next snapshot incrementally ({@link SnapshotUpdate}),
 * swaps it in with one volatile write (no request ever sees half a change), then publishes the
 * policy versions of the apps that changed and re-checks open WebSockets and streams at once.
 *
 * <p>A config must be loaded with {@link #history()} as its {@code AppHistory}, so that unchanged
 * apps are reused rather than compiled and changed ones get their next version; publishing one
 * loaded against an older history is refused.
 *
 * <p>The one place a snapshot is swapped. Its caller is the admin API's effective config
 * ({@code admin.EffectiveConfig}), which composes the file's apps and those written through the
 * API into one config: at startup, after each reload of the file and after each store write.
 */
@ApplicationScoped
public class SnapshotPublisher implements SnapshotPublishing {
    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);
    private final SnapshotHolder holder;
    private final ConfigMetrics metrics;
    private final GatewayMetrics gatewayMetrics;
    private final Runnable recheckOpenConnections;
    /** Guarded by this. */
    private AppVersions versions = AppVersions.NONE;

    @Inject
    public SnapshotPublisher(SnapshotHolder holder, ConfigMetrics metrics, LiveConnections live,
                             GatewayMetrics gatewayMetrics) {
        this(holder, metrics, gatewayMetrics, live::recheckAll);
    }

    /** @param recheckOpenConnections run after a swap that changed apps (tests: no gateway) */
    public SnapshotPublisher(SnapshotHolder holder, ConfigMetrics metrics, GatewayMetrics gatewayMetrics,
                             Runnable recheckOpenConnections) {
        this.gatewayMetrics = gatewayMetrics;
        this.holder = holder;
        this.metrics = metrics;
        this.recheckOpenConnections = recheckOpenConnections;
    }

    /** The history the next config must be loaded with. */
    @Override
    public synchronized AppHistory history() {
        return versions;
    }

    /**
     * Swaps in the snapshot of {@code config}.
     *
     * @param loadedWith the {@link #history()} {@code config} was loaded with
     * @return what changed
     */
    @Override
    public synchronized SnapshotUpdate publish(GatehouseConfig config, AppHistory loadedWith) {
        if (loadedWith != versions) {
            throw new IllegalStateException("config " + config.source() + " was loaded against an outdated history");
        }
        SnapshotUpdate update = SnapshotUpdate.of(holder.current(), versions, config);
        holder.swap(update.snapshot());
        versions = update.versions();
        // the config is in force from here on: what follows must not make the reload look failed
        try {
            Map<String, Long> fresh = new HashMap<>();
            for (List<String> ids : List.of(update.added(), update.changed())) {
                ids.forEach(id -> fresh.put(id, versions.version(id)));
            }
            metrics.installed(fresh, update.removed());
            // JWKS refresh counters exist at 0 for every IdP, so a first failure is an increase alerts see
            gatewayMetrics.idpsConfigured(config.idps().keySet());
            // likewise the shadow-mode disagreement counters of every app with a candidate in force
            gatewayMetrics.candidatesInForce(config.candidates().keySet());
            if (update.changesApps()) {
                recheckOpenConnections.run();
            }
        } catch (RuntimeException e) {
            LOG.error("config " + config.source() + " is in force, but publishing its versions or re-checking "
                    + "open connections failed", e);
        }
        return update;
    }

    /** The policy version in force for an app, 0 when it is not in force. */
    @Override
    public synchronized long version(String appId) {
        return versions.version(appId);
    }
}
