package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.lifecycle.ConfigBootstrap;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Readiness waits for the IdP keys the probe fetches, and the probe fetches only the IdPs of the
 * config in force: its {@code StartupEvent} observer must run after {@link ConfigBootstrap}'s, which
 * puts the config in force, so that its first tick fetches at once instead of a tick later (up to
 * 250 ms of a start spent waiting, BENCHMARKS.md issue 13 round seven). CDI calls observers of one
 * event in ascending priority order.
 */
class IdpKeyProbeOrderTest {

    @Test
    void probeStartsAfterTheConfigIsLoaded() {
        int config = startupPriority(ConfigBootstrap.class);
        int probe = startupPriority(IdpKeyProbe.class);
        assertThat(probe).as("IdpKeyProbe's StartupEvent priority against ConfigBootstrap's %d", config)
                .isGreaterThan(config);
    }

    /** The priority of the class's {@code @Observes StartupEvent} method (the default when unannotated). */
    private static int startupPriority(Class<?> type) {
        for (Method m : type.getDeclaredMethods()) {
            for (Parameter p : m.getParameters()) {
                if (p.getType() == StartupEvent.class && p.isAnnotationPresent(Observes.class)) {
                    Priority priority = p.getAnnotation(Priority.class);
                    return priority == null ? ObserverMethod.DEFAULT_PRIORITY : priority.value();
                }
            }
        }
        throw new AssertionError("no StartupEvent observer in " + type + ": " + Arrays.toString(type.getDeclaredMethods()));
    }
}
