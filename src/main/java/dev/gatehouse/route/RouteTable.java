package dev.gatehouse.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Immutable host and path routing. Exact hosts are one hash lookup; a wildcard {@code *.example.com}
 * matches any subdomain of example.com at any depth (never example.com itself), the most specific
 * suffix first. Within a host the longest path prefix wins; when no prefix of an exact host covers the
 * path, wildcard routes are tried next.
 */
public final class RouteTable {
    private static final AppRoute[] NONE = new AppRoute[0];
    private static final Comparator<AppRoute> LONGEST_PREFIX_FIRST =
            Comparator.comparingInt((AppRoute r) -> r.app().pathPrefix().length()).reversed();

    private final Map<String, AppRoute[]> exact;
    private final Map<String, AppRoute[]> wildcard; // key: suffix without "*", e.g. ".example.com"
    private final Map<String, AppRoute> byId;

    private RouteTable(Map<String, AppRoute[]> exact, Map<String, AppRoute[]> wildcard, Map<String, AppRoute> byId) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.byId = byId;
    }

    private static final RouteTable EMPTY = new RouteTable(Map.of(), Map.of(), Map.of());

    public static RouteTable of(List<AppRoute> routes) {
        return EMPTY.with(routes, List.of());
    }

    /**
     * This table with {@code upserts} added (or replacing the route of the same app id) and the apps
     * {@code removed} gone. Only the hosts they touch are rebuilt; every other host keeps its sorted
     * array, so a reload that changes one app of 10,000 costs three map copies, not a rebuild.
     */
    public RouteTable with(Collection<AppRoute> upserts, Collection<String> removed) {
        Map<String, AppRoute> ids = new HashMap<>(byId);
        Set<String> touched = new HashSet<>(); // hosts as configured: "wiki.example.com" or "*.example.com"
        for (String id : removed) {
            AppRoute gone = ids.remove(id);
            if (gone != null) {
                touched.add(gone.app().host());
            }
        }
        Map<String, List<AppRoute>> added = new HashMap<>();
        for (AppRoute r : upserts) {
            AppRoute replaced = ids.put(r.id(), r);
            if (replaced != null) {
                touched.add(replaced.app().host());
            }
            touched.add(r.app().host());
            added.computeIfAbsent(r.app().host(), h -> new ArrayList<>()).add(r);
        }
        Map<String, AppRoute[]> nextExact = new HashMap<>(exact);
        Map<String, AppRoute[]> nextWildcard = new HashMap<>(wildcard);
        for (String host : touched) {
            boolean wild = host.startsWith("*.");
            Map<String, AppRoute[]> target = wild ? nextWildcard : nextExact;
            String key = wild ? host.substring(1) : host;
            List<AppRoute> list = new ArrayList<>(added.getOrDefault(host, List.of()));
            for (AppRoute r : target.getOrDefault(key, NONE)) {
                if (ids.get(r.id()) == r) { // neither replaced nor removed
                    list.add(r);
                }
            }
            if (list.isEmpty()) {
                target.remove(key);
            } else {
                list.sort(LONGEST_PREFIX_FIRST);
                target.put(key, list.toArray(NONE));
            }
        }
        // plain HashMaps, never modified once built and never handed out: immutable by encapsulation
        return new RouteTable(nextExact, nextWildcard, ids);
    }

    /**
     * @param host lower-case host without port or trailing dot
     * @param path the normalised path
     * @return the matching route, or null
     */
    public AppRoute match(String host, String path) {
        AppRoute hit = longestPrefix(exact.get(host), path);
        if (hit != null) {
            return hit;
        }
        if (wildcard.isEmpty()) {
            return null;
        }
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
            hit = longestPrefix(wildcard.get(host.substring(dot)), path);
            if (hit != null) {
                return hit;
            }
        }
        return null;
    }

    /** Whether any app (at any path prefix) serves this lower-case host, exactly or by a wildcard. */
    public boolean servesHost(String host) {
        if (exact.containsKey(host)) {
            return true;
        }
        for (int dot = host.indexOf('.'); dot >= 0 && !wildcard.isEmpty(); dot = host.indexOf('.', dot + 1)) {
            if (wildcard.containsKey(host.substring(dot))) {
                return true;
            }
        }
        return false;
    }

    private static AppRoute longestPrefix(AppRoute[] candidates, String path) {
        if (candidates == null) {
            return null;
        }
        for (AppRoute r : candidates) {
            if (r.covers(path)) {
                return r;
            }
        }
        return null;
    }

    /** The route of the app with this id, or null. */
    public AppRoute byId(String appId) {
        return appId == null ? null : byId.get(appId);
    }

    /** Every route, in no particular order. */
    public Collection<AppRoute> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    public int size() {
        return byId.size();
    }
}
