package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.IdpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The next snapshot for a newly loaded config, built incrementally from the one in force: an app the
 * loader reused (the same {@link AppConfig} instance, its IdP unchanged) keeps its {@link AppRoute}
 * and compiled policy; only new and changed apps get new routes, and only the hosts they touch are
 * rebuilt in the route table ({@link RouteTable#with}). Pure: nothing is swapped here, so the caller
 * publishes the whole result in one volatile write or not at all.
 *
 * @param snapshot the snapshot to swap in
 * @param versions the version history once it is in force
 * @param added    ids of apps that were not in force before
 * @param changed  ids of apps in force before whose definition changed
 * @param removed  ids of apps in force before and gone now
 */
public record SnapshotUpdate(Snapshot snapshot, AppVersions versions, List<String> added, List<String> changed,
                             List<String> removed) {

    /**
     * @param previous the snapshot in force
     * @param versions the history {@code config} was loaded with
     * @param config   the new config, loaded and validated with {@code versions} as its history
     */
    public static SnapshotUpdate of(Snapshot previous, AppVersions versions, GatehouseConfig config) {
        Map<String, IdpConfig> idps = config.idps();
        Map<String, Boolean> idpUnchanged = new HashMap<>();
        idps.forEach((id, idp) -> idpUnchanged.put(id, idp.equals(previous.config().idps().get(id))));
        // an IdP's tenant id is a digest of its settings: once per IdP, not once per app (10,000 apps
        // of one IdP spent 8% of a cold start's config load recomputing it)
        Map<String, String> tenants = new HashMap<>();
        idps.forEach((id, idp) -> tenants.put(id, idp.tenantId()));
        RouteTable old = previous.routes();
        List<AppRoute> fresh = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        int stayed = 0; // apps of the previous snapshot still there, changed or not
        for (AppConfig app : config.apps()) {
            AppRoute before = old.byId(app.id());
            if (before != null) {
                stayed++;
                if (before.app() == app && Boolean.TRUE.equals(idpUnchanged.get(app.idp()))) {
                    continue; // reused by the loader: keeps its route and compiled policy
                }
            }
            IdpConfig idp = idps.get(app.idp());
            fresh.add(new AppRoute(app, idp, idp == null ? null : tenants.get(app.idp())));
            (before == null ? added : changed).add(app.id());
        }
        List<String> removed = stayed == old.size() ? List.of() : removed(old, config);
        Snapshot next = new Snapshot(config, old.with(fresh, removed), previous.version() + 1);
        List<AppConfig> freshApps = fresh.stream().map(AppRoute::app).toList();
        return new SnapshotUpdate(next, versions.after(freshApps, config.digests(), removed), List.copyOf(added),
                List.copyOf(changed), removed);
    }

    /** Ids of the apps in {@code old} that {@code config} does not have (looked for only when some are gone). */
    private static List<String> removed(RouteTable old, GatehouseConfig config) {
        Set<String> ids = new HashSet<>();
        config.apps().forEach(app -> ids.add(app.id()));
        List<String> removed = new ArrayList<>();
        for (AppRoute r : old.all()) {
            if (!ids.contains(r.id())) {
                removed.add(r.id());
            }
        }
        return List.copyOf(removed);
    }

    /** Whether any app was added, changed or removed (a comment-only edit changes none). */
    public boolean changesApps() {
        return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
    }
}
