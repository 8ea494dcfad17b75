package dev.gatehouse.gateway;

import dev.gatehouse.policy.Reason;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Installs the data plane as a catch-all route on the main HTTP server, in two stages around
 * Quarkus's authentication handler (which, with lazy authentication, only prepares a deferred
 * identity): see {@link RequestPipeline#authenticate}.
 * With the management interface enabled nothing else of Quarkus answers on the data port, so every
 * path of every host belongs to an app or to {@code /.gatehouse/}.
 */
@ApplicationScoped
public class GatewayRoutes {
    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);
    /** Before Quarkus's authentication handler (order -200): cache hits never pay for it. */
    static final int ORDER = -300;
    /** After it: where a verified-token cache miss continues, with the deferred identity prepared. */
    static final int AFTER_AUTHENTICATION_ORDER = -50;

    void install(@Observes Router router, RequestPipeline pipeline) {
        router.route().order(ORDER).handler(pipeline);
        router.route().order(AFTER_AUTHENTICATION_ORDER).handler(pipeline::afterQuarkusAuthentication);
        // failures raised before or around the pipeline (e.g. Vert.x-web's own "Host header is
        // required") are rendered by Gatehouse too: no framework error page, no stack trace
        router.route().order(Integer.MIN_VALUE).failureHandler(GatewayRoutes::renderFailure);
    }

    static void renderFailure(RoutingContext rc) {
        int status = rc.statusCode();
        if (status == 404) {
            // the catch-all route matches every path, so Vert.x-web fails with 404 only for a request
            // target it cannot route at all ("*", "admin", "api.test/x"): a malformed request, 400
            // (it was answered 404 "Not found" with reason invalid-request)
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
                clientError ? Reason.INVALID_REQUEST : Reason.INTERNAL_ERROR, null, requestId, clientError);
    }
}
