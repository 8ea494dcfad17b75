package dev.gatehouse.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Token buckets by key (a client address, a user): {@code rate} requests per second on average,
 * bursts up to {@code burst}. Idle buckets are forgotten after a minute and at most
 * {@code maxKeys} are kept, so random keys cannot grow memory. A rate of 0 disables the limiter.
 */
final class RateLimiter {
    private static final class Bucket {
        private double tokens;
        private long lastNanos;

        Bucket(double burst) {
            this.tokens = burst;
            this.lastNanos = System.nanoTime();
        }

        synchronized boolean tryTake(double rate, double burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * rate);
            lastNanos = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }

    private final double rate;
    private final double burst;
    private final Cache<String, Bucket> buckets;

    RateLimiter(double ratePerSecond, double burst, long maxKeys) {
        this.rate = ratePerSecond;
        this.burst = Math.max(1, burst);
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
        return buckets.get(key, k -> new Bucket(burst)).tryTake(rate, burst);
    }

    /** Whole seconds until one request is allowed again, for {@code Retry-After}. */
    long retryAfterSeconds() {
        return Math.max(1, (long) Math.ceil(1 / rate));
    }
}
