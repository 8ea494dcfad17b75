package dev.gatehouse.route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Immutable host and path routing. Exact hosts are one hash lookup; a wildcard {@code *.example.com}
 * matches any subdomain of example.com at any depth (never example.com itself), the most specific
 * suffix first. Within a host the longest path prefix wins; when no prefix of an exact host covers the
 * path, wildcard routes are tried next.
 */
public final class RouteTable {
    private static final AppRoute[] NONE = new AppRoute[0];

    private final Map<String, AppRoute[]> exact;
    private final Map<String, AppRoute[]> wildcard; // key: suffix without "*", e.g. ".example.com"
    private final Map<String, AppRoute> byId;

    private RouteTable(Map<String, AppRoute[]> exact, Map<String, AppRoute[]> wildcard, Map<String, AppRoute> byId) {
        this.exact = exact;
        this.wildcard = wildcard;
        this.byId = byId;
    }

    public static RouteTable of(List<AppRoute> routes) {
        Map<String, List<AppRoute>> exact = new HashMap<>();
        Map<String, List<AppRoute>> wildcard = new HashMap<>();
        Map<String, AppRoute> byId = new HashMap<>();
        for (AppRoute r : routes) {
            byId.put(r.id(), r);
            String host = r.app().host();
            if (host.startsWith("*.")) {
                wildcard.computeIfAbsent(host.substring(1), k -> new ArrayList<>()).add(r);
            } else {
                exact.computeIfAbsent(host, k -> new ArrayList<>()).add(r);
            }
        }
        return new RouteTable(freeze(exact), freeze(wildcard), Map.copyOf(byId));
    }

    private static Map<String, AppRoute[]> freeze(Map<String, List<AppRoute>> byHost) {
        Map<String, AppRoute[]> out = new HashMap<>();
        byHost.forEach((host, list) -> {
            list.sort(Comparator.comparingInt((AppRoute r) -> r.app().pathPrefix().length()).reversed());
            out.put(host, list.toArray(NONE));
        });
        return Map.copyOf(out);
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
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
