package dev.gatehouse.admin;

import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.store.Actor;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/**
 * The caller of the current admin request, as the gateway verified and admitted it (the
 * {@link AdminRequest} in the routing context). A request that did not come through the gateway's
 * admin check has none and is refused here too (403), so no resource runs without a decision.
 */
@RequestScoped
public class AdminContext {
    @Inject
    RoutingContext routingContext;

    /** The admitted request. */
    public AdminRequest request() {
        AdminRequest r = routingContext.get(AdminRequest.CONTEXT_KEY);
        if (r == null) {
            throw new ApiProblem(403, "access-denied", "The admin API is reached only through its host's access check.");
        }
        return r;
    }

    /** Who asks, for authorship and audit. */
    public Actor actor() {
        AdminRequest r = request();
        return new Actor(r.subject(), r.idp());
    }

    /** The request id, also when the request was not admitted (for problem bodies). */
    public String requestId() {
        AdminRequest r = routingContext.get(AdminRequest.CONTEXT_KEY);
        return r != null ? r.requestId() : routingContext.response().headers().get("X-Request-Id");
    }

    /** The request's (normalised) path. */
    public String path() {
        return routingContext.normalizedPath();
    }

    /** A request header. */
    public String header(String name) {
        return routingContext.request().getHeader(name);
    }
}
