package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.IdpConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The next snapshot for a newly loaded config, built incrementally from the one in force: an app the
 * loader reused (the same {@link AppConfig} instance, its IdP unchanged) keeps its {@link AppRoute}
 * and compiled policy; only new and changed apps get new routes. Pure: nothing is swapped here, so
 * the caller publishes the whole result in one volatile write or not at all.
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
        RouteTable old = previous.routes();
        List<AppRoute> routes = new ArrayList<>(config.apps().size());
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (AppConfig app : config.apps()) {
            AppRoute before = old.byId(app.id());
            if (before != null && before.app() == app && Boolean.TRUE.equals(idpUnchanged.get(app.idp()))) {
                routes.add(before);
                continue;
            }
            routes.add(new AppRoute(app, idps.get(app.idp())));
            (before == null ? added : changed).add(app.id());
        }
        RouteTable table = RouteTable.of(routes);
        List<String> removed = new ArrayList<>();
        for (AppRoute r : old.all()) {
            if (table.byId(r.id()) == null) {
                removed.add(r.id());
            }
        }
        Snapshot next = new Snapshot(config, table, previous.version() + 1);
        return new SnapshotUpdate(next, versions.after(config), List.copyOf(added), List.copyOf(changed),
                List.copyOf(removed));
    }

    /** Whether any app was added, changed or removed (a comment-only edit changes none). */
    public boolean changesApps() {
        return !added.isEmpty() || !changed.isEmpty() || !removed.isEmpty();
    }
}
