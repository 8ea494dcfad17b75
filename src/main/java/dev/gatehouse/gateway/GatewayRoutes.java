package dev.gatehouse.gateway;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Installs the data plane as one catch-all route on the main HTTP server, after Quarkus's
 * authentication handler (which, with lazy authentication, only prepares a deferred identity).
 * With the management interface enabled nothing else of Quarkus answers on the data port, so every
 * path of every host belongs to an app or to {@code /.gatehouse/}.
 */
@ApplicationScoped
public class GatewayRoutes {
    /** After Quarkus's authentication handler (order -200), before any other route. */
    static final int ORDER = -50;

    void install(@Observes Router router, RequestPipeline pipeline) {
        router.route().order(ORDER).handler(pipeline);
    }
}
