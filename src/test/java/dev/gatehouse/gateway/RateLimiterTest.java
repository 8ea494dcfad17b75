package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.net.IpAddresses;
import dev.gatehouse.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Token buckets: a burst, then the rate; keys are independent; 0 disables; IPv6 by /64. */
class RateLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void burstThenRefusalPerKey() {
        RateLimiter limiter = new RateLimiter(1, 3, 100, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).as("another key has its own bucket").isTrue();
        assertThat(limiter.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refillsAsTimeAdvances() {
        RateLimiter limiter = new RateLimiter(20, 1, 100, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        clock.advance(Duration.ofMillis(40));
        assertThat(limiter.tryAcquire("a")).as("40 ms at 20/s is not yet one token").isFalse();
        clock.advance(Duration.ofMillis(20));
        assertThat(limiter.tryAcquire("a")).as("after 50 ms at 20/s one token is back").isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        RateLimiter limiter = new RateLimiter(1, 1, 100, clock);
        assertThat(limiter.tryAcquire("a")).isTrue();
        clock.advance(Duration.ofHours(-1));
        assertThat(limiter.tryAcquire("a")).isFalse();
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.tryAcquire("a")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.tryAcquire("a")).isTrue();
    }

    @Test
    void zeroRateIsDisabled() {
        RateLimiter limiter = new RateLimiter(0, 0, 100, clock);
        assertThat(limiter.enabled()).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("a")).isTrue();
        }
    }

    @Test
    void ipv6ClientsShareOneBucketPerSlash64() {
        RateLimiter limiter = new RateLimiter(1, 2, 100, clock);
        assertThat(limiter.tryAcquire(IpAddresses.parse("2001:db8:1:2::1"))).isTrue();
        assertThat(limiter.tryAcquire(IpAddresses.parse("2001:db8:1:2:ffff::9"))).isTrue();
        assertThat(limiter.tryAcquire(IpAddresses.parse("2001:db8:1:2:dead:beef:0:1")))
                .as("a third address of the same /64 finds the bucket empty").isFalse();
        assertThat(limiter.tryAcquire(IpAddresses.parse("2001:db8:1:3::1"))).as("the next /64 is another client").isTrue();
        assertThat(limiter.tryAcquire(IpAddresses.parse("192.0.2.1"))).isTrue();
        assertThat(limiter.tryAcquire(IpAddresses.parse("::ffff:192.0.2.1"))).isTrue();
        assertThat(limiter.tryAcquire(IpAddresses.parse("192.0.2.1"))).as("a mapped address is the IPv4 client").isFalse();
    }
}
