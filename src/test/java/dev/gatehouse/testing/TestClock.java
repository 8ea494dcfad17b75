package dev.gatehouse.testing;

import jakarta.inject.Singleton;

/**
 * The {@link java.time.Clock} of every {@code @QuarkusTest}: the system time until a test
 * {@link #advance}s it (rate-limit refills, token expiry, posture age without sleeping). A test that
 * advances it resets it afterwards ({@link #reset}), since the application is shared between tests.
 * It replaces the production clock, a {@code @DefaultBean} ({@code lifecycle.CoreBeans}).
 */
@Singleton
public class TestClock extends MutableClock {
}
