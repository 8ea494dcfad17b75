package dev.gatehouse.lifecycle;

import dev.gatehouse.identity.IdpKeyProbe;
import dev.gatehouse.identity.IdpKeyProbe.IdpState;
import dev.gatehouse.route.SnapshotHolder;
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
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {
    private final SnapshotHolder snapshots;
    private final IdpKeyProbe idps;

    public ReadinessCheck(SnapshotHolder snapshots, IdpKeyProbe idps) {
        this.snapshots = snapshots;
        this.idps = idps;
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
        return r.status(loaded && allFetched).build();
    }
}
