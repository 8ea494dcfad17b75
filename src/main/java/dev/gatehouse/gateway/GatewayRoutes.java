package dev.gatehouse.gateway;

import dev.gatehouse.access.RequestReason;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Installs the data plane as a catch-all route on the main HTTP server (around Quarkus's
 * authentication handler: see {@link QuarkusAuthenticationDetour}), and renders any failure raised
 * around it. With the management interface enabled nothing else of Quarkus answers on the data
 * port, so every path of every host belongs to an app or to {@code /.gatehouse/}.
 */
@ApplicationScoped
public class GatewayRoutes {
    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);

    void install(@Observes Router router, RequestPipeline pipeline, QuarkusAuthenticationDetour detour) {
        detour.install(router, pipeline);
        // failures raised before or around the pipeline (e.g. Vert.x-web's own "Host header is
        // required") are rendered by Gatehouse too: no framework error page, no stack trace
        router.route().order(Integer.MIN_VALUE).failureHandler(GatewayRoutes::renderFailure);
    }

    static void renderFailure(RoutingContext rc) {
        int status = rc.statusCode();
        if (status == 404) {
            // the catch-all route matches every path, so Vert.x-web fails with 404 only for a request
            // target it cannot route at all ("*", "admin", "api.test/x"): a malformed request, 400
            status = 400;
        }
        boolean clientError = status >= 400 && status < 500;
        String requestId = rc.response().headers().get("X-Request-Id");
        if (requestId == null) {
            requestId = RequestIds.next();
        }
        if (!clientError) {
            LOG.errorf(rc.failure(), "request %s failed", requestId);
        }
        DenyResponder.respond(rc.request(), clientError ? status : 500,
                clientError ? RequestReason.INVALID_REQUEST : RequestReason.INTERNAL_ERROR, null, requestId, clientError);
    }
}
