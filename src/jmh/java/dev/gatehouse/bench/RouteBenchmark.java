package dev.gatehouse.bench;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.route.AppRoute;
import dev.gatehouse.route.RouteTable;
import dev.gatehouse.route.Snapshot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Route match plus policy evaluation, the per-request work between the token cache and the
 * forwarder, with {@code apps} apps configured through {@link ConfigLoader#parse} (about the same
 * generated shape as {@code bench/BenchKit.java config}: every tenth app a {@code *.} wildcard host,
 * every third under {@code /api}, all with the realistic policy of {@link PolicyBenchmark}).
 * Target (issue 4): at most 2 µs median with 10,000 apps.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RouteBenchmark {
    @Param({"10000"})
    public int apps;

    private RouteTable routes;
    private String exactHost;
    private String wildcardHost;
    private AccessRequest exactRequest;
    private AccessRequest wildcardRequest;

    /** Apps {@code from} (inclusive) to {@code to} (exclusive) as a config document. */
    static String config(int from, int to) {
        StringBuilder sb = new StringBuilder((to - from) * 420);
        sb.append("idps:\n  corp:\n    issuer: https://login.example.com/realms/corp\n    audience: gatehouse\napps:\n");
        for (int i = from; i < to; i++) {
            boolean wildcard = i % 10 == 5;
            sb.append("  - id: app-").append(i).append('\n');
            sb.append("    host: \"").append(wildcard ? "*.tenant-" + i + ".example.com" : "app-" + i + ".example.com").append("\"\n");
            if (i % 3 == 1) {
                sb.append("    path-prefix: /api\n");
            }
            sb.append("    upstream: http://10.0.").append(i / 250).append('.').append(i % 250 + 1).append(":8080\n");
            sb.append("    idp: corp\n");
            sb.append("    policy:\n");
            PolicyBenchmark.POLICY.lines().forEach(l -> sb.append("      ").append(l).append('\n'));
        }
        return sb.toString();
    }

    @Setup
    public void setup() {
        // One document of 10,000 apps in this (README) block style is about 4 MB, over the 3 MB code point
        // limit of the YAML parser ConfigLoader uses, so it is loaded in chunks of 1,000 apps, each
        // validated and compiled by ConfigLoader.parse, and the apps joined into one config.
        ConfigLoader loader = new ConfigLoader();
        List<AppConfig> all = new ArrayList<>();
        GatehouseConfig chunk = null;
        for (int from = 0; from < apps; from += 1000) {
            chunk = loader.parse(config(from, Math.min(apps, from + 1000)), "generated");
            all.addAll(chunk.apps());
        }
        GatehouseConfig config = new GatehouseConfig(chunk.idps(), all, "generated");
        routes = Snapshot.of(config, 1).routes();
        if (routes.size() != apps) {
            throw new IllegalStateException("expected " + apps + " routes, got " + routes.size());
        }
        int exact = apps / 2;
        if (exact % 10 == 5) {
            exact++;
        }
        int wild = apps / 2 + 5 - (apps / 2) % 10; // an index i with i % 10 == 5
        if (wild >= apps) {
            wild -= 10;
        }
        exactHost = "app-" + exact + ".example.com";
        wildcardHost = "team-a.eu.tenant-" + wild + ".example.com";
        Instant now = Instant.parse("2026-06-15T10:00:00Z");
        Map<String, Object> claims = Map.of("sub", "alice", "email", "alice@example.com",
                "groups", List.of("staff", "engineering", "oncall"), "amr", List.of("pwd", "otp"),
                "device_id", "LAPTOP-42", "device_compliant", true, "device_posture_at", now.getEpochSecond() - 120);
        Identity identity = IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false);
        InetAddress client;
        try {
            client = InetAddress.getByName("198.51.100.7");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        exactRequest = new AccessRequest(identity, "GET", "/api/v1/items", exactHost, client, now);
        wildcardRequest = new AccessRequest(identity, "GET", "/api/v1/items", wildcardHost, client, now);
        check(matchExact(), "app-" + exact);
        check(matchWildcard(), "app-" + wild);
        if (!matchExactAndEvaluate().allowed() || !matchWildcardAndEvaluate().allowed()) {
            throw new IllegalStateException("expected allow");
        }
        if (routes.match("nowhere.example.org", "/") != null) {
            throw new IllegalStateException("expected no route");
        }
    }

    private static void check(AppRoute r, String id) {
        if (r == null || !r.id().equals(id)) {
            throw new IllegalStateException("expected " + id + ", matched " + (r == null ? null : r.id()));
        }
    }

    @Benchmark
    public AppRoute matchExact() {
        return routes.match(exactHost, "/api/v1/items");
    }

    @Benchmark
    public AppRoute matchWildcard() {
        return routes.match(wildcardHost, "/api/v1/items");
    }

    @Benchmark
    public AppRoute matchNotFound() {
        return routes.match("a.b.nowhere.example.org", "/api/v1/items");
    }

    @Benchmark
    public Decision matchExactAndEvaluate() {
        AppRoute r = routes.match(exactHost, "/api/v1/items");
        return PolicyEvaluator.evaluate(r.app().policy(), exactRequest);
    }

    @Benchmark
    public Decision matchWildcardAndEvaluate() {
        AppRoute r = routes.match(wildcardHost, "/api/v1/items");
        return PolicyEvaluator.evaluate(r.app().policy(), wildcardRequest);
    }
}
