package dev.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.LoginMode;
import dev.gatehouse.config.WhoamiDetail;
import dev.gatehouse.policy.CompiledPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A route table updated for a few apps ({@link RouteTable#with}) routes exactly like one built from
 * scratch from the same apps, and both like the routing rule read straight from its definition:
 * seeded random apps on a few exact and wildcard hosts with nested prefixes, random adds, changes
 * (also of host and prefix) and removals, every probe compared.
 */
class RouteTableUpdateTest {
    static final String[] HOSTS = {"a.test", "b.test", "*.w.test", "*.x.w.test", "x.w.test"};
    static final String[] PREFIXES = {"/", "/api", "/api/v1", "/admin", "/API2"};
    static final String[] PROBE_HOSTS = {"a.test", "b.test", "x.w.test", "y.x.w.test", "z.w.test", "w.test"};
    static final String[] PROBE_PATHS = {"/", "/api", "/api/v1/items", "/admin/x", "/api2", "/other"};

    private static AppRoute route(String id, String host, String prefix) {
        return new AppRoute(new AppConfig(id, host, prefix, URI.create("http://10.0.0.1"), "corp", LoginMode.BEARER,
                CompiledPolicy.DENY_ALL, Duration.ofSeconds(30), false, false, false, null, -1,
                WhoamiDetail.REASONS), null);
    }

    @Test
    void anUpdatedTableRoutesLikeAFreshOne() {
        Random random = new Random(20261202);
        for (int round = 0; round < 200; round++) {
            Map<String, AppRoute> apps = new HashMap<>();
            Map<String, String> taken = new HashMap<>(); // host + prefix -> id: one app per route, as validated
            RouteTable table = RouteTable.of(List.of());
            for (int step = 0; step < 15; step++) {
                List<AppRoute> upserts = new ArrayList<>();
                List<String> removed = new ArrayList<>();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    String id = "app-" + random.nextInt(8);
                    if (upserts.stream().anyMatch(r -> r.id().equals(id)) || removed.contains(id)) {
                        continue;
                    }
                    AppRoute old = apps.get(id);
                    if (old != null && random.nextInt(3) == 0) {
                        apps.remove(id);
                        taken.remove(key(old));
                        removed.add(id);
                        continue;
                    }
                    AppRoute r = route(id, HOSTS[random.nextInt(HOSTS.length)], PREFIXES[random.nextInt(PREFIXES.length)]);
                    String owner = taken.get(key(r));
                    if (owner != null && !owner.equals(id)) {
                        continue;
                    }
                    if (old != null) {
                        taken.remove(key(old));
                    }
                    taken.put(key(r), id);
                    apps.put(id, r);
                    upserts.add(r);
                }
                table = table.with(upserts, removed);
                RouteTable fresh = RouteTable.of(new ArrayList<>(apps.values()));
                assertThat(table.size()).isEqualTo(apps.size());
                for (String host : PROBE_HOSTS) {
                    for (String path : PROBE_PATHS) {
                        String expected = id(oracle(apps.values(), host, path));
                        assertThat(id(table.match(host, path))).as("round %d step %d: %s%s", round, step, host, path)
                                .isEqualTo(expected);
                        assertThat(id(fresh.match(host, path))).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** The routing rule read straight from its definition: exact host, then wildcards most specific first. */
    private static AppRoute oracle(java.util.Collection<AppRoute> apps, String host, String path) {
        AppRoute hit = longest(apps, host, path);
        for (int dot = host.indexOf('.'); hit == null && dot >= 0; dot = host.indexOf('.', dot + 1)) {
            hit = longest(apps, "*" + host.substring(dot), path);
        }
        return hit;
    }

    private static AppRoute longest(java.util.Collection<AppRoute> apps, String host, String path) {
        AppRoute best = null;
        for (AppRoute r : apps) {
            if (r.app().host().equals(host) && r.covers(path)
                    && (best == null || r.app().pathPrefix().length() > best.app().pathPrefix().length())) {
                best = r;
            }
        }
        return best;
    }

    private static String key(AppRoute r) {
        return r.app().host() + " " + r.app().pathPrefix().toLowerCase();
    }

    private static String id(AppRoute r) {
        return r == null ? null : r.id();
    }
}
