import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import javax.management.ObjectName;
import sun.misc.Unsafe;

/**
 * Shows that no safepoint can begin while {@code System.trim_native_heap} runs (issue 13, round eight,
 * BENCHMARKS.md): the JVM runs the diagnostic command in the VM state and calls {@code malloc_trim}
 * without a transition to native. Fills the C heap from four threads, frees most of it, starts a trim
 * through JMX (as {@code lifecycle.NativeHeapTrim} does) and, 3 ms into it, {@code System.gc()} from
 * another thread: the collection waits for the trim's end. JDK only, run as a source file:
 * {@code taskset -c 0 java -XX:+UseSerialGC -Xlog:safepoint bench/TrimSafepoint.java [ROUNDS]}
 * ("Reaching safepoint" of the GenCollectFull lines is the wait).
 */
public class TrimSafepoint {
    public static void main(String[] a) throws Exception {
        int rounds = a.length > 0 ? Integer.parseInt(a[0]) : 3;
        Field f = Unsafe.class.getDeclaredField("theUnsafe"); f.setAccessible(true);
        Unsafe u = (Unsafe) f.get(null);
        var server = ManagementFactory.getPlatformMBeanServer();
        var cmd = new ObjectName("com.sun.management:type=DiagnosticCommand");
        for (int round = 0; round < rounds; round++) {
            // fill the C heap with small chunks from 4 threads (4 arenas), free every other: fragmentation to trim
            Thread[] ts = new Thread[4];
            for (int t = 0; t < 4; t++) {
                ts[t] = new Thread(() -> {
                    long[] p = new long[400_000];
                    for (int i = 0; i < p.length; i++) p[i] = u.allocateMemory(512);
                    for (int i = 0; i < p.length; i++) u.putByte(p[i], (byte) 1);
                    for (int i = 0; i < p.length; i += 2) u.freeMemory(p[i]);
                    for (int i = 1; i < p.length; i += 2) if (i % 64 != 1) u.freeMemory(p[i]);
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            Thread gc = new Thread(() -> {
                try { Thread.sleep(3); } catch (InterruptedException e) { }
                long t0 = System.nanoTime();
                System.gc();
                System.out.printf("System.gc() started 3 ms into the trim returned after %.1f ms%n", (System.nanoTime() - t0) / 1e6);
            });
            long t0 = System.nanoTime();
            gc.start();
            Object r = server.invoke(cmd, "systemTrimNativeHeap", new Object[] {new String[0]}, new String[] {String[].class.getName()});
            System.out.printf("trim took %.1f ms: %s", (System.nanoTime() - t0) / 1e6, r);
            gc.join();
        }
    }
}
