package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.demo.DemoEnvironment;
import dev.gatehouse.gateway.AdminRoutes;
import dev.gatehouse.identity.IdpKeyProbe;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Loads the config file named by {@code gatehouse.config} / {@code GATEHOUSE_CONFIG} at startup
 * through {@link ConfigReloader}, which hands it to {@link EffectiveConfig} (the file's apps and the
 * store's, published as the first snapshot through {@link SnapshotPublisher}) and then watches it. The
 * embedded demo (a development IdP, two demo apps and their policies) runs only when asked for with
 * {@code gatehouse.demo=true}: a deployment whose config variable went missing must fail to start,
 * not serve demo apps trusting a demo IdP. The demo has no file, so nothing is reloaded.
 */
@ApplicationScoped
public class ConfigBootstrap {
    private static final Logger LOG = Logger.getLogger(ConfigBootstrap.class);

    /** Printed on stderr (by Quarkus, for a {@link ConfigurationException}) when there is nothing to run. */
    static final String NO_CONFIG = "Gatehouse has no config file, so it will not start. Set -Dgatehouse.config="
            + "/path/to/gatehouse.yaml (or the environment variable GATEHOUSE_CONFIG) to the YAML file with your "
            + "IdPs and apps (see \"Running it for real\" in README.md), or start the embedded demo, which must "
            + "never run in production, with -Dgatehouse.demo=true.";

    void onStart(@Observes StartupEvent event, GatehouseSettings settings, DemoEnvironment demo,
                 EffectiveConfig effective, ConfigReloader reloader, AdminRoutes admin, ReplicaSync sync,
                 IdpKeyProbe idpKeys) {
        GatehouseConfig config;
        boolean watched = false;
        try {
            if (settings.config().isPresent() && !settings.config().get().isBlank()) {
                if (settings.demo().enabled()) { // e.g. quarkus:dev, where the demo is on by default
                    LOG.info("a config file is given: gatehouse.demo=true is ignored");
                }
                // the file's apps and those written through the admin API, as the first snapshot
                config = reloader.start(Path.of(settings.config().get()));
                watched = settings.configReload().enabled();
            } else if (settings.demo().enabled()) {
                // the demo's apps are built in code, at version 1: the first snapshot has no history
                ConfigLoader.Loaded loaded = demo.start();
                effective.start(history -> loaded);
                config = loaded.config();
            } else {
                // a ConfigurationException is printed as its bare message, without a stack trace, and exits 1
                throw new ConfigurationException(NO_CONFIG);
            }
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
            throw e;
        }
        idpKeys.configInForce(); // readiness waits for these keys: fetch them now, beside the rest of the boot
        LOG.infof("Gatehouse config %s loaded: %d IdP(s), %d app(s); %d app(s) written through the admin API%s",
                config.source(), config.idps().size(), config.apps().size(), effective.apiAppCount(),
                watched ? "; reloaded when it changes and on SIGHUP" : "");
        admin.current(); // says whether the admin API is on, and for which IdP
        sync.start(); // other replicas' writes, and the store's apps if it did not answer just now
    }
}
