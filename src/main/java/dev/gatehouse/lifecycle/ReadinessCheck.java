package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.identity.IdpKeyProbe;
import dev.gatehouse.identity.IdpKeyProbe.IdpState;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.StoreStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when a config snapshot is loaded and every configured IdP's keys were fetched at least once
 * (otherwise no token could be checked). An IdP that stopped answering after that keeps the replica
 * ready (quarkus-oidc still holds its keys) and is reported {@code degraded}, with details per IdP.
 *
 * <p>The store likewise: unreachable, it is reported {@code degraded} with the error and since when,
 * and the replica stays ready, enforcing its last snapshot. One exception: a replica that has not
 * read the store's apps since it started (the store was down) and whose config file has no app
 * would serve an empty config; it is not ready until the store answers.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final SnapshotHolder snapshots;
    private final IdpKeyProbe idps;
    private final StoreStatus store;
    private final EffectiveConfig effective;

    public ReadinessCheck(SnapshotHolder snapshots, IdpKeyProbe idps, StoreStatus store, EffectiveConfig effective) {
        this.snapshots = snapshots;
        this.idps = idps;
        this.store = store;
        this.effective = effective;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("gatehouse");
        boolean loaded = snapshots.current().version() > 0;
        r.withData("config", loaded ? "loaded" : "not loaded");
        boolean allFetched = true;
        for (Map.Entry<String, IdpState> e : idps.states().entrySet()) {
            IdpState s = e.getValue();
            allFetched &= s.fetchedOnce();
            String state = !s.fetchedOnce() ? "keys never fetched" : s.reachable() ? "ok" : "degraded";
            r.withData("idp." + e.getKey(), s.lastError() == null ? state : state + ": " + s.lastError());
        }
        StoreStatus.State st = store.state();
        boolean storeApps = effective.storeLoaded();
        r.withData("store", (st.reachable() ? "ok" : "degraded since " + st.since() + ": " + st.error())
                + (storeApps ? "" : "; its apps not loaded yet, enforcing the config file's apps only"));
        boolean somethingToServe = storeApps || !effective.fileConfig().apps().isEmpty();
        return r.status(loaded && allFetched && somethingToServe).build();
    }
}
