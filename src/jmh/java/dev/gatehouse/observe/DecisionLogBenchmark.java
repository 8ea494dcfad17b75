package dev.gatehouse.observe;

import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.ReasonCode;
import java.io.FileOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What logging one allowed request costs (issue 13: logging every allow costs at most 10%): the
 * event loop's part (the entry as {@code Answers.record} builds it, and the hand-over) and the
 * writer thread's part (formatting, encoding, the batched write to {@code /dev/null}), each as CPU
 * time per line. The writer's figure is per line written (lines dropped because the producer ran
 * ahead of it are not counted as written; the number dropped is printed).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DecisionLogBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String WRITER = "bench-decision-log";

    private AsyncLineWriter<DecisionEntry> writer;
    private InetAddress client;
    private List<? extends ReasonCode> reasons;
    private long ops;
    private long cpuAtStart;
    private long writerCpuAtStart;
    private long droppedAtStart;
    private long writer0;
    private long seq;

    @Setup
    public void setUp() throws Exception {
        DecisionLineFormat format = new DecisionLineFormat();
        writer = new AsyncLineWriter<>(new FileOutputStream("/dev/null"), 65_536, WRITER, format::format);
        client = InetAddress.getByName("10.1.2.3");
        reasons = List.of(dev.gatehouse.access.RequestReason.values()[0]);
    }

    @TearDown
    public void tearDown() throws Exception {
        writer.close();
    }

    private long writerThreadCpu() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(WRITER)) {
                return THREADS.getThreadCpuTime(t.getId());
            }
        }
        return 0;
    }

    @Setup(Level.Iteration)
    public void startCpu() {
        ops = 0;
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
        writerCpuAtStart = writerThreadCpu();
        droppedAtStart = writer.dropped();
    }

    @TearDown(Level.Iteration)
    public void reportCpu() throws Exception {
        long cpu = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        Thread.sleep(50); // let the writer finish the iteration's lines
        long writerCpu = writerThreadCpu() - writerCpuAtStart;
        long dropped = writer.dropped() - droppedAtStart;
        long written = ops - dropped;
        System.out.printf("%n  CPU per line: producer %.0f ns, writer %.0f ns (%d lines, %d dropped); load %.2f%n",
                (double) cpu / ops, written > 0 ? (double) writerCpu / written : Double.NaN, ops, dropped,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private final LineBuffer line = new LineBuffer(1024);
    private final DecisionLineFormat lineFormat = new DecisionLineFormat();
    private DecisionEntry sample;

    /** The writer thread's formatting of one line alone, on the benchmark thread (no queue, no contention). */
    @Benchmark
    public int formatOnly() {
        ops++;
        if (sample == null) {
            sample = new DecisionEntry("7f3a9c2e-1b4d-4e8f-a0b1-c2d3e4f5a6b7", "app-0042", "app-0042.example.com",
                    "GET", "/api/orders/12345", 200, Verdict.ALLOW, reasons, "allow-engineering", 7,
                    "f2c5e1a0-5d0b-4f57-9d8e-1f2a3b4c5d6e", "corp", "laptop-7f3a9c", "10.1.2.3", 1_234_567, 200, null);
        }
        line.clear();
        lineFormat.format(sample, System.currentTimeMillis(), line);
        return line.length();
    }

    /** One allowed request's entry, as {@code Answers.record} builds and hands it over. */
    @Benchmark
    public void recordAllow() {
        ops++;
        long took = 1_234_567 + (seq++ & 1023);
        writer.write(new DecisionEntry("7f3a9c2e-1b4d-4e8f-a0b1-c2d3e4f5a6b7", "app-0042", "app-0042.example.com",
                "GET", "/api/orders/12345", 200, Verdict.ALLOW, reasons, "allow-engineering", 7,
                "f2c5e1a0-5d0b-4f57-9d8e-1f2a3b4c5d6e", "corp", "laptop-7f3a9c", client.getHostAddress(), took, 200, null, null,
                true), System.currentTimeMillis());
    }
}
