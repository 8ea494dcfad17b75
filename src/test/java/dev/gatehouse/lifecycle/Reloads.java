package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Http;

/** Polling helpers of the reload tests: wait for an edit to show, never sleep a fixed time. */
final class Reloads {
    private Reloads() {
    }

    /**
     * Sends GET / to {@code host} until the status is {@code expected} (at most {@code limitMillis});
     * fails otherwise. Returns the milliseconds it took.
     */
    static long awaitStatus(String host, String token, int expected, long limitMillis) {
        long start = System.nanoTime();
        int status = -1;
        while (System.nanoTime() - start < limitMillis * 1_000_000) {
            status = Http.get(host, "/", token).statusCode();
            if (status == expected) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            pause();
        }
        throw new AssertionError(host + " still answers " + status + " after " + limitMillis + " ms, expected "
                + expected);
    }

    /** The value of one series of the management port's metrics (0 when absent). */
    static double metric(String series) {
        return Http.metricValue(Http.metrics(), series);
    }

    /** Waits until {@code series} reaches {@code expected} (at most 5 s); fails otherwise. */
    static void awaitMetric(String series, double expected) {
        long deadline = System.currentTimeMillis() + 5000;
        double value = metric(series);
        while (value != expected && System.currentTimeMillis() < deadline) {
            pause();
            value = metric(series);
        }
        assertThat(value).as(series).isEqualTo(expected);
    }

    /** Whether the metrics have a series starting with {@code series} at all. */
    static boolean hasSeries(String series) {
        return Http.metrics().lines().anyMatch(l -> l.startsWith(series));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
