package dev.gatehouse.demo;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseSettings;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Starts the demo IdP and apps and returns the demo config. Called only with {@code gatehouse.demo=true} and no config file.
 */
@ApplicationScoped
public class DemoEnvironment {
    private static final Logger LOG = Logger.getLogger(DemoEnvironment.class);

    private final Vertx vertx;
    private final GatehouseSettings settings;
    private DemoIdp idp;
    private DemoApps apps;

    public DemoEnvironment(Vertx vertx, GatehouseSettings settings) {
        this.vertx = vertx;
        this.settings = settings;
    }

    public ConfigLoader.Loaded start() {
        int idpPort = settings.demo().idpPort();
        int wikiPort = settings.demo().firstAppPort();
        int dashPort = wikiPort + 1;
        idp = DemoIdp.start(vertx, idpPort);
        apps = DemoApps.start(vertx, Map.of("wiki", wikiPort, "dashboards", dashPort));
        String yaml = """
                idps:
                  demo:
                    issuer: %s
                    audience: %s
                apps:
                  - id: wiki
                    host: wiki.localhost
                    upstream: http://127.0.0.1:%d
                    idp: demo
                    identity-headers: true
                    policy:
                      allow:
                        and:
                          - groups: { has: engineering }
                          - device: { compliant: true, max-posture-age: 1h }
                  - id: dashboards
                    host: dashboards.localhost
                    upstream: http://127.0.0.1:%d
                    idp: demo
                    policy:
                      allow:
                        or:
                          - email: { ends_with: "@demo.gatehouse.dev" }
                      deny:
                        or:
                          - http_method: { in: [DELETE] }
                """.formatted(idp.issuer(), DemoIdp.AUDIENCE, wikiPort, dashPort);
        LOG.warnf("gatehouse.demo=true and no config file (gatehouse.config / GATEHOUSE_CONFIG): running the embedded DEMO. "
                + "Demo IdP at %s (tokens: curl http://localhost:%d/token/alice), apps wiki.localhost and "
                + "dashboards.localhost. Never use the demo in production.", idp.issuer(), idpPort);
        return new ConfigLoader().parseWithDocuments(yaml, "embedded demo");
    }

    @PreDestroy
    void stop() {
        if (idp != null) {
            idp.stop();
        }
        if (apps != null) {
            apps.stop();
        }
    }
}
