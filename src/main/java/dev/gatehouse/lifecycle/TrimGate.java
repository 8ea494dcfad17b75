package dev.gatehouse.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Decides whether a native heap trim is worth making now: only when the process's anonymous
 * resident memory ({@code RssAnon} of {@code /proc/self/status}, where the C heap's pages are
 * counted) grew by at least a threshold since the last trim.
 *
 * <p>Why: on one core a trim's CPU (1.6-4.8 ms measured: glibc walks every arena and hands free
 * pages back one {@code madvise} at a time) is taken from the event loop, and the JVM runs it in the
 * VM state, so no safepoint (no young collection either) can begin until it ends (BENCHMARKS.md,
 * round eight). Under steady load a trim every 30 s mostly hands back pages that glibc takes again
 * within seconds (measured: RssAnon back up by ~14 MB within 30 s, then nearly flat), paying the
 * trim and the page faults for nothing. Memory that new tokens or a burst of compilation left
 * behind shows as growth, and is trimmed at the next tick as before. Where the figure cannot be read
 * (not Linux), every tick trims, as before this gate.
 */
final class TrimGate {
    private final long minGrowthKb;
    private final LongSupplier rssAnonKb;
    /** RssAnon right after the last trim; -1 before the first. */
    private long baselineKb = -1;
    /** Growth seen by the last {@link #shouldTrim()}, for the log; -1 when unknown. */
    private long lastGrowthKb = -1;

    /**
     * @param minGrowthKb growth since the last trim that makes the next one worth it; 0: always
     * @param rssAnonKb   the current RssAnon in KiB, or -1 when unknown
     */
    TrimGate(long minGrowthKb, LongSupplier rssAnonKb) {
        this.minGrowthKb = minGrowthKb;
        this.rssAnonKb = rssAnonKb;
    }

    /** A gate on this process's {@code /proc/self/status}. */
    static TrimGate ofProcess(int minGrowthMb) {
        return new TrimGate(Math.max(0, minGrowthMb) * 1024L, TrimGate::procRssAnonKb);
    }

    /** Whether to trim now: at the first tick, when the figure is unknown, or after enough growth. */
    boolean shouldTrim() {
        if (minGrowthKb == 0) {
            return true;
        }
        long now = rssAnonKb.getAsLong();
        if (now < 0) {
            return true; // cannot tell: trim as without the gate
        }
        if (baselineKb < 0) {
            return true; // the first tick: the start's compilation and class loading left the most behind
        }
        lastGrowthKb = now - baselineKb;
        return lastGrowthKb >= minGrowthKb;
    }

    /** The growth since the last trim that {@link #shouldTrim()} last saw, in KiB; -1 when it did not look. */
    long lastGrowthKb() {
        return lastGrowthKb;
    }

    /** Records the memory after a trim: the next one waits for growth beyond this. */
    void trimmed() {
        baselineKb = rssAnonKb.getAsLong();
    }

    /** {@code RssAnon} in KiB, or -1 when there is no such line (not Linux, or before 4.5). */
    static long procRssAnonKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("RssAnon:")) {
                    String v = line.substring("RssAnon:".length()).trim();
                    int space = v.indexOf(' ');
                    return Long.parseLong(space < 0 ? v : v.substring(0, space));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
