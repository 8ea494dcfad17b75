package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@link IdpKeys} is built with the request pipeline at every start, but serves back-channel logout
 * only: building it must not build the JDK HTTP client, whose classes and selector thread cost
 * about 0.1 s of a one-core start (BENCHMARKS.md, issue 13 round seven). The client is made at the
 * first discovery, which {@code LogoutTokenValidatorTest} exercises.
 */
class IdpKeysStartupTest {

    @Test
    void constructingDoesNotStartAnHttpClient() {
        long before = selectorThreads();
        IdpKeys keys = new IdpKeys();
        assertThat(keys).isNotNull();
        assertThat(selectorThreads()).as("JDK HttpClient selector threads").isLessThanOrEqualTo(before);
    }

    /** The JDK's HttpClient starts one thread named {@code HttpClient-<n>-SelectorManager} per client. */
    private static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager"))
                .count();
    }
}
