package dev.gatehouse.lifecycle;

import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Propagation time between two replicas, for BENCHMARKS.md (not a test: nothing is asserted). Two
 * Gatehouse processes from the packaged jar on one embedded PostgreSQL, default settings (LISTEN/
 * NOTIFY on, 5 s check). Each round replaces one app's policy through A's admin API, flipping it
 * between "engineering may" and "sales may", then polls B with an engineer's token (back to back,
 * one request at a time, about 1-2 ms each) until B answers as the new policy says. Per round it
 * records the time from A's response to B's first answer under the new policy (the propagation)
 * and the write's own latency. 10 warm-up rounds, then {@code -Drounds} (default 50) measured.
 * {@code -Dlisten=false} turns B's LISTEN off, to measure the periodic check (every 5 s) alone.
 *
 * <p>Run (after {@code ./mvnw -B package -DskipTests}):
 * {@code ./mvnw -B -o test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java
 * -Dexec.mainClass=dev.gatehouse.lifecycle.ReplicaPropagationBench -Dexec.classpathScope=test
 * -Dexec.cleanupDaemonThreads=false}
 */
public final class ReplicaPropagationBench {
    private ReplicaPropagationBench() {
    }

    public static void main(String[] args) throws Exception {
        // as the test runs set it: requests carry the Host of the app they are for
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        int rounds = Integer.getInteger("rounds", 50);
        Vertx vertx = Vertx.vertx();
        TestIdp idp = TestIdp.start(vertx);
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        Path config = GatehouseProcess.openAppConfig(idp, upstream);
        List<String> store = List.of("gatehouse.store.url=" + Postgres.freshDatabaseUrl(),
                "gatehouse.store.username=postgres", "gatehouse.store.key=" + Postgres.SEALING_KEY,
                "quarkus.log.category.\"dev.gatehouse.observe\".level=WARN");
        GatehouseProcess a = GatehouseProcess.launch("bench-replica-a", config, store).awaitReady();
        List<String> atB = new java.util.ArrayList<>(store);
        atB.add("gatehouse.store.listen=" + System.getProperty("listen", "true")); // false: the periodic check alone
        GatehouseProcess b = GatehouseProcess.launch("bench-replica-b", config, atB).awaitReady();
        String doc = "{\"host\": \"bench.test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", "
                + "\"policy\": {\"allow\": {\"groups\": {\"has\": \"%s\"}}}}";
        String engineer = idp.validToken();
        try {
            HttpResponse<String> created = ReplicasIT.write(a, idp, "bench", doc.formatted("engineering"),
                    "If-None-Match", "*");
            if (created.statusCode() != 201) {
                throw new IllegalStateException(created.body());
            }
            await(b, engineer, 200);
            long version = 1;
            List<Double> propagation = new ArrayList<>();
            List<Double> writes = new ArrayList<>();
            for (int i = 0; i < 10 + rounds; i++) {
                boolean engineers = version % 2 == 0; // v1 engineering, v2 sales, v3 engineering, ...
                long sent = System.nanoTime();
                HttpResponse<String> r = ReplicasIT.write(a, idp, "bench", doc.formatted(engineers ? "engineering"
                        : "sales"), "If-Match", "\"" + version + "\"");
                long answered = System.nanoTime();
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.body());
                }
                version++;
                long enforced = await(b, engineer, engineers ? 200 : 403);
                if (i >= 10) {
                    propagation.add((enforced - answered) / 1e6);
                    writes.add((answered - sent) / 1e6);
                }
            }
            System.out.println("rounds: " + rounds + ", B listens: " + System.getProperty("listen", "true"));
            System.out.println("propagation A response -> B enforces (ms): " + summary(propagation));
            System.out.println("admin write latency on A (ms):             " + summary(writes));
        } finally {
            a.close();
            b.close();
            vertx.close();
            Postgres.stop();
        }
    }

    /** Polls B until it answers {@code status}; returns nanoTime of that answer. */
    private static long await(GatehouseProcess b, String token, int status) throws Exception {
        HttpRequest req = b.request("bench.test", "/", token).build();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (GatehouseProcess.send(req).statusCode() == status) {
                return System.nanoTime();
            }
        }
        throw new IllegalStateException("B did not converge within 30 s");
    }

    /** p50, p90, p99 (nearest rank: with 50 samples, p99 is the largest), max, mean. */
    private static String summary(List<Double> ms) {
        double[] s = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format("p50 %.1f, p90 %.1f, p99 %.1f, max %.1f, mean %.1f", rank(s, 50), rank(s, 90),
                rank(s, 99), s[s.length - 1], Arrays.stream(s).average().orElse(0));
    }

    private static double rank(double[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, i)];
    }
}
