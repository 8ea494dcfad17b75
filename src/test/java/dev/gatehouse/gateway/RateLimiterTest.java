package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Token buckets: a burst, then the rate; keys are independent; 0 disables. */
class RateLimiterTest {

    @Test
    void burstThenRefusalPerKey() {
        RateLimiter limiter = new RateLimiter(1, 3, 100);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        assertThat(limiter.tryAcquire("b")).as("another key has its own bucket").isTrue();
        assertThat(limiter.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refillsOverTime() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(20, 1, 100);
        assertThat(limiter.tryAcquire("a")).isTrue();
        assertThat(limiter.tryAcquire("a")).isFalse();
        Thread.sleep(120);
        assertThat(limiter.tryAcquire("a")).isTrue();
    }

    @Test
    void zeroRateIsDisabled() {
        RateLimiter limiter = new RateLimiter(0, 0, 100);
        assertThat(limiter.enabled()).isFalse();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryAcquire("a")).isTrue();
        }
    }
}
