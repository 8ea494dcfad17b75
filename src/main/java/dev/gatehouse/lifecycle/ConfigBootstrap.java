package dev.gatehouse.lifecycle;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.demo.DemoEnvironment;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the config file named by {@code gatehouse.config} / {@code GATEHOUSE_CONFIG} at startup
 * and installs it as the first snapshot. With no config file, starts the embedded demo (a
 * development IdP, two demo apps and their policies) so a newcomer sees Gatehouse work at once.
 */
@ApplicationScoped
public class ConfigBootstrap {
    private static final Logger LOG = Logger.getLogger(ConfigBootstrap.class);

    void onStart(@Observes StartupEvent event, GatehouseSettings settings, SnapshotHolder holder, DemoEnvironment demo,
                 ConfigMetrics metrics) {
        GatehouseConfig config;
        if (settings.config().isPresent() && !settings.config().get().isBlank()) {
            try {
                config = new ConfigLoader().load(Path.of(settings.config().get()));
            } catch (ConfigException e) {
                LOG.error(e.getMessage());
                throw e;
            }
        } else {
            config = demo.start();
        }
        holder.swap(Snapshot.of(config, 1));
        Map<String, Long> versions = config.apps().stream()
                .collect(Collectors.toMap(app -> app.id(), app -> app.policy().version()));
        metrics.installed(versions);
        LOG.infof("Gatehouse config %s loaded: %d IdP(s), %d app(s)", config.source(), config.idps().size(),
                config.apps().size());
    }
}
