package dev.gatehouse.route;

import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.IdpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the request path reads, built from one validated config and never modified:
 * a new config builds a new snapshot, swapped in whole by {@link SnapshotHolder}.
 */
public record Snapshot(GatehouseConfig config, RouteTable routes, long version) {

    public static Snapshot of(GatehouseConfig config, long version) {
        List<AppRoute> routes = new ArrayList<>();
        Map<String, IdpConfig> idps = config.idps();
        Map<String, String> tenants = new HashMap<>(); // a digest of the IdP's settings: once per IdP
        idps.forEach((id, idp) -> tenants.put(id, idp.tenantId()));
        config.apps().forEach(app -> {
            IdpConfig idp = idps.get(app.idp());
            routes.add(new AppRoute(app, idp, idp == null ? null : tenants.get(app.idp())));
        });
        return new Snapshot(config, RouteTable.of(routes), version);
    }

    /** An empty snapshot: every request is route-not-found. Used before a config is loaded. */
    public static Snapshot empty() {
        return new Snapshot(new GatehouseConfig(Map.of(), List.of(), "none"), RouteTable.of(List.of()), 0);
    }
}
