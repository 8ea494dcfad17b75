package dev.gatehouse.lifecycle;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.gatehouse.config.GatehouseSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jboss.logging.Logger;

/**
 * Hands the C heap's free memory back to the system every {@code gatehouse.memory.trim-interval}
 * (glibc's {@code malloc_trim}, through the JVM's {@code System.trim_native_heap} diagnostic
 * command, the one {@code jcmd} runs).
 *
 * <p>Why: native code called on every new token (AWS-LC's RSA verification and ECDSA signing) and
 * the JIT compilers allocate and free C memory on several threads; glibc keeps what they free in
 * per-thread arenas and seldom returns it. Measured (BENCHMARKS.md, round seven): 68 MB of RSS held
 * that way after 100,000 new tokens, given back by one trim. A trim takes a few milliseconds on this
 * thread of its own, never an event loop; but on one core that thread's CPU is the event loop's, and
 * the JVM holds off safepoints while it trims, so a trim is made only when the C heap grew enough
 * since the last one to be worth it ({@code gatehouse.memory.trim-min-growth-mb}, {@link TrimGate};
 * BENCHMARKS.md, round eight). The JVM can do the same itself
 * ({@code -XX:TrimNativeHeapInterval}), but the shipped launch is {@code java -jar} without options;
 * when that option is set, or the JVM has no such command (not glibc, an older JDK), this does nothing.
 */
@ApplicationScoped
public class NativeHeapTrim {
    private static final Logger LOG = Logger.getLogger(NativeHeapTrim.class);
    static final String OPERATION = "systemTrimNativeHeap";

    private final Duration interval;
    private final TrimGate gate;
    private ScheduledExecutorService timer;
    /** Whether trimming works here, found at the first tick; null before it (timer thread only). */
    private Boolean checked;

    public NativeHeapTrim(GatehouseSettings settings) {
        this.interval = settings.memory().trimInterval();
        this.gate = TrimGate.ofProcess(settings.memory().trimMinGrowthMb());
    }

    void start(@Observes StartupEvent event) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-native-heap-trim");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Whether this JVM can and should trim is found at the first tick, not at start: asking starts
     * the platform MBean server (JMX), tens of milliseconds of CPU a one-core start would pay
     * before it is ready (BENCHMARKS.md, round seven, startup).
     */
    private void tick() {
        if (checked == null) {
            checked = enabled(interval);
            if (!checked) {
                timer.shutdown();
                return;
            }
        }
        if (gate.shouldTrim()) {
            trimQuietly();
            gate.trimmed();
        } else {
            LOG.debugf("native heap trim skipped: RssAnon grew %d KiB since the last one", gate.lastGrowthKb());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Whether to trim at this interval here: a positive one, the JVM not trimming itself, the command there. */
    static boolean enabled(Duration interval) {
        return !interval.isZero() && !interval.isNegative() && !jvmTrimsItself() && available();
    }

    /** Trims now; the command's report ("Trim native heap: RSS+Swap: 582M->515M (-68240K)"). */
    static String trim() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        return String.valueOf(server.invoke(command(), OPERATION, new Object[] {new String[0]},
                new String[] {String[].class.getName()}));
    }

    private static void trimQuietly() {
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean(); // here, not at start: see tick()
            long t0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            String report = trim().strip();
            LOG.debugf("%s in %d us (%d us of CPU)", report, (System.nanoTime() - t0) / 1000,
                    (threads.getCurrentThreadCpuTime() - cpu0) / 1000);
        } catch (JMException | RuntimeException e) {
            LOG.debugf(e, "native heap trim failed");
        }
    }

    /** Whether this JVM has the command (HotSpot 17.0.9 and later, 21). */
    static boolean available() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (var op : server.getMBeanInfo(command()).getOperations()) {
                if (op.getName().equals(OPERATION)) {
                    return true;
                }
            }
        } catch (JMException | RuntimeException e) {
            LOG.debugf(e, "no diagnostic commands: native heap not trimmed");
        }
        return false;
    }

    /** {@code -XX:TrimNativeHeapInterval} set: the JVM trims on its own schedule. */
    private static boolean jvmTrimsItself() {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hs != null && !"0".equals(hs.getVMOption("TrimNativeHeapInterval").getValue());
        } catch (RuntimeException e) { // not HotSpot, or no such flag
            return false;
        }
    }

    private static ObjectName command() throws JMException {
        return new ObjectName("com.sun.management:type=DiagnosticCommand");
    }
}
