package dev.gatehouse.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.net.IpAddresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * Token buckets by key (a client address, a user): {@code rate} requests per second on average,
 * bursts up to {@code burst}. Idle buckets are forgotten after a minute and at most
 * {@code maxKeys} are kept, so random keys cannot grow memory. A rate of 0 disables the limiter.
 * Time comes from the injected {@link Clock}, so tests advance it instead of sleeping.
 */
final class RateLimiter {
    private static final String UNKNOWN_ADDRESS = "unknown";

    private final class Bucket {
        private double tokens;
        private long lastMillis;

        Bucket() {
            this.tokens = burst;
            this.lastMillis = clock.millis();
        }

        synchronized boolean tryTake() {
            long now = clock.millis();
            // a clock that steps back refills nothing (and takes nothing away)
            tokens = Math.min(burst, tokens + Math.max(0, now - lastMillis) / 1e3 * rate);
            lastMillis = Math.max(lastMillis, now);
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final double rate;
    private final double burst;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;

    RateLimiter(double ratePerSecond, double burst, long maxKeys, Clock clock) {
        this.rate = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.clock = clock;
        // idle buckets expire on Caffeine's monotonic ticker: a wall clock stepping back must not
        // make a bucket look idle (a fresh bucket is a full one)
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(Duration.ofMinutes(1)).build();
    }

    boolean enabled() {
        return rate > 0;
    }

    /** @return true when a request by {@code key} may pass now */
    boolean tryAcquire(String key) {
        if (rate <= 0) {
            return true;
        }
        return buckets.get(key, k -> new Bucket()).tryTake();
    }

    /**
     * Per-address variant: IPv4 clients by address, IPv6 clients by their /64 ({@link IpAddresses#limitKey}),
     * so one IPv6 client cannot mint fresh buckets (or evict other clients' buckets) by rotating addresses.
     */
    boolean tryAcquire(InetAddress address) {
        if (rate <= 0) {
            return true; // no key is built when the limiter is off
        }
        return tryAcquire(address == null ? UNKNOWN_ADDRESS : IpAddresses.limitKey(address));
    }

    /** Whole seconds until one request is allowed again, for {@code Retry-After}. */
    long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / rate));
    }
}
