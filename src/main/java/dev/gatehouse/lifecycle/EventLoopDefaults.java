package dev.gatehouse.lifecycle;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * One Vert.x event loop per core by default, instead of Quarkus's two per core.
 *
 * <p>Why: every request of a proxy is handled start to end on one event loop; a second loop per core
 * only adds context switches between loops competing for the same core. Measured with
 * {@code bench/run.sh} (variants step, BENCHMARKS.md): one loop per core served more requests per
 * second with a lower p99 than two. The count follows the cores the JVM sees
 * ({@code availableProcessors()}: container CPU limits and {@code -XX:ActiveProcessorCount}).
 *
 * <p>Its value has a low ordinal: {@code quarkus.vertx.event-loops-pool-size} set anywhere
 * (application.properties, {@code -D}, environment) wins.
 */
public final class EventLoopDefaults implements ConfigSourceFactory {
    /** Below application.properties (250) and every other source. */
    static final int ORDINAL = 40;
    static final String EVENT_LOOPS = "quarkus.vertx.event-loops-pool-size";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        return List.of(new PropertiesConfigSource(
                Map.of(EVENT_LOOPS, Integer.toString(Runtime.getRuntime().availableProcessors())),
                "gatehouse event-loop default", ORDINAL));
    }
}
