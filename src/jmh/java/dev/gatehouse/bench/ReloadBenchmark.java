package dev.gatehouse.bench;

import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.ConfigText;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.route.AppVersions;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotUpdate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A config reload in which one app of {@code apps} changed (the file alternates between two versions
 * that differ in the policy of the middle app; apps as in {@link RouteBenchmark}):
 * <ul>
 *   <li>{@code swap}: from the loaded config to the next snapshot, what {@code SnapshotPublisher}
 *       does before its volatile write: {@link SnapshotUpdate#of} (reuse unchanged routes, build
 *       the route table, next version history) and the swap itself (issue 10, item 6: at most
 *       50 ms of CPU at 10,000 apps);</li>
 *   <li>{@code reload}: the whole reload of the file's bytes: SHA-256 and UTF-8 decoding
 *       ({@link ConfigText}), YAML parsing, validation, per-app digests, reuse of the unchanged apps,
 *       compiling the changed one, then {@code swap};</li>
 *   <li>{@code fullLoad}: the same file loaded with no history (every app compiled), as at startup;</li>
 *   <li>{@code yamlOnly}: only the YAML parser's work on the file, for what the rest is measured against.</li>
 * </ul>
 * Besides JMH's wall-clock score, each measurement iteration prints the CPU time of the benchmark
 * thread per operation ({@code ThreadMXBean}), the figure the 50 ms target is about; on a shared
 * machine it is steadier than wall time. The garbage collector's threads are not in it
 * ({@code -prof gc} shows the allocation).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReloadBenchmark {
    @Param({"10", "1000", "10000"})
    public int apps;

    private final ConfigLoader loader = new ConfigLoader();
    private final byte[][] files = new byte[2][];
    /** Each version loaded against the history in which the other one is in force. */
    private final GatehouseConfig[] loaded = new GatehouseConfig[2];
    private Snapshot current;
    private AppVersions versions;
    private int next;
    /** Stands for {@code SnapshotHolder}'s field: the swap is one volatile write. */
    private volatile Snapshot holder;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private long cpuNanos;
    private long ops;

    /** The document of {@code apps} apps, the middle one allowing {@code group} instead of engineering. */
    static String document(int apps, String group) {
        int k = apps / 2;
        String changed = body(k, k + 1).replace("has: engineering", "has: " + group);
        return RouteBenchmark.config(0, k) + changed + body(k + 1, apps);
    }

    /** Apps {@code from} to {@code to} without the document's head. */
    private static String body(int from, int to) {
        String doc = RouteBenchmark.config(from, to);
        return doc.substring(doc.indexOf("apps:\n") + "apps:\n".length());
    }

    @Setup
    public void setup() {
        files[0] = document(apps, "engineering").getBytes(StandardCharsets.UTF_8);
        files[1] = document(apps, "admins").getBytes(StandardCharsets.UTF_8);
        current = Snapshot.empty();
        versions = AppVersions.NONE;
        publish(loadWith(0, versions));
        loaded[1] = loadWith(1, versions);
        publish(loaded[1]);
        loaded[0] = loadWith(0, versions);
        next = 0;
        SnapshotUpdate u = swap();
        if (u.changed().size() != 1 || current.routes().size() != apps) {
            throw new IllegalStateException("expected one changed app of " + apps + ", got " + u.changed());
        }
    }

    @Setup(Level.Iteration)
    public void resetCpu() {
        cpuNanos = 0;
        ops = 0;
    }

    @TearDown(Level.Iteration)
    public void reportCpu() {
        if (ops > 0) {
            System.out.printf("%n  CPU of the benchmark thread: %.3f ms/op over %d ops%n", cpuNanos / 1e6 / ops, ops);
        }
    }

    private <T> T cpu(Supplier<T> work) {
        long start = THREADS.getCurrentThreadCpuTime();
        T result = work.get();
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        ops++;
        return result;
    }

    private GatehouseConfig loadWith(int version, AppHistory history) {
        return loader.parse(ConfigText.of(files[version], "bench").text(), "bench", history);
    }

    private SnapshotUpdate publish(GatehouseConfig config) {
        SnapshotUpdate u = SnapshotUpdate.of(current, versions, config);
        current = u.snapshot();
        versions = u.versions();
        holder = current;
        return u;
    }

    /** The next snapshot from an already loaded config, and the swap. */
    @Benchmark
    public SnapshotUpdate swap() {
        SnapshotUpdate u = cpu(() -> publish(loaded[next]));
        next ^= 1;
        return u;
    }

    /** The whole reload: bytes to snapshot in force. */
    @Benchmark
    public SnapshotUpdate reload() {
        SnapshotUpdate u = cpu(() -> publish(loadWith(next, versions)));
        next ^= 1;
        return u;
    }

    @Benchmark
    public GatehouseConfig fullLoad() {
        return cpu(() -> loadWith(next, AppHistory.NONE));
    }

    @Benchmark
    public Object yamlOnly() {
        return cpu(() -> {
            try {
                return ConfigLoader.yamlMapper().readValue(files[next], Object.class);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
