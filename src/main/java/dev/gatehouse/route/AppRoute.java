package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.IdpConfig;

/**
 * An app as the request path sees it: its settings, the IdP that authenticates its callers, and
 * that IdP's quarkus-oidc tenant id (computed once here, not per request).
 */
public record AppRoute(AppConfig app, IdpConfig idp, String tenant) {

    public AppRoute(AppConfig app, IdpConfig idp) {
        this(app, idp, idp == null ? null : idp.tenantId());
    }

    public String id() {
        return app.id();
    }

    /** Whether {@code path} (normalised) lies under this app's path prefix. */
    boolean covers(String path) {
        String prefix = app.pathPrefix();
        if (prefix.equals("/")) {
            return true;
        }
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
