package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.AppConfig;

/**
 * What to send upstream for one allowed request, computed by the pipeline before forwarding:
 * the app, the request target (upstream base path + normalised path + raw query) and the headers
 * Gatehouse adds (assertion, identity and forwarding headers). The forwarders only apply it.
 *
 * @param app          the app
 * @param uri          the upstream request target
 * @param addedHeaders headers Gatehouse sets, applied after the client's were filtered
 * @param requestId    the request id, also sent upstream
 */
public record ForwardPlan(AppConfig app, String uri, AddedHeaders addedHeaders, String requestId) {

    /** Joins the upstream base path and the normalised request path. */
    public static String target(AppConfig app, String path, String rawQuery) {
        String base = app.upstream().getRawPath();
        String joined = base == null || base.isEmpty() || base.equals("/") ? path
                : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        return rawQuery == null ? joined : joined + '?' + rawQuery;
    }
}
