package dev.gatehouse.lifecycle;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.demo.DemoEnvironment;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Loads the config file named by {@code gatehouse.config} / {@code GATEHOUSE_CONFIG} at startup
 * and installs it as the first snapshot. The embedded demo (a development IdP, two demo apps and
 * their policies) runs only when asked for with {@code gatehouse.demo=true}: a deployment whose
 * config variable went missing must fail to start, not serve demo apps trusting a demo IdP.
 */
@ApplicationScoped
public class ConfigBootstrap {
    private static final Logger LOG = Logger.getLogger(ConfigBootstrap.class);

    /** Printed on stderr (by Quarkus, for a {@link ConfigurationException}) when there is nothing to run. */
    static final String NO_CONFIG = "Gatehouse has no config file, so it will not start. Set -Dgatehouse.config="
            + "/path/to/gatehouse.yaml (or the environment variable GATEHOUSE_CONFIG) to the YAML file with your "
            + "IdPs and apps (see \"Running it for real\" in README.md), or start the embedded demo, which must "
            + "never run in production, with -Dgatehouse.demo=true.";

    void onStart(@Observes StartupEvent event, GatehouseSettings settings, SnapshotHolder holder, DemoEnvironment demo,
                 ConfigMetrics metrics, GatewayMetrics gatewayMetrics) {
        GatehouseConfig config;
        if (settings.config().isPresent() && !settings.config().get().isBlank()) {
            if (settings.demo().enabled()) { // e.g. quarkus:dev, where the demo is on by default
                LOG.info("a config file is given: gatehouse.demo=true is ignored");
            }
            try {
                config = new ConfigLoader().load(Path.of(settings.config().get()));
            } catch (ConfigException e) {
                LOG.error(e.getMessage());
                throw e;
            }
        } else if (settings.demo().enabled()) {
            config = demo.start();
        } else {
            // a ConfigurationException is printed as its bare message, without a stack trace, and exits 1
            throw new ConfigurationException(NO_CONFIG);
        }
        holder.swap(Snapshot.of(config, 1));
        Map<String, Long> versions = config.apps().stream()
                .collect(Collectors.toMap(app -> app.id(), app -> app.policy().version()));
        metrics.installed(versions);
        gatewayMetrics.idpsConfigured(config.idps().keySet());
        LOG.infof("Gatehouse config %s loaded: %d IdP(s), %d app(s)", config.source(), config.idps().size(),
                config.apps().size());
    }
}
