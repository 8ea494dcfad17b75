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

    /**
     * Whether {@code path} (normalised) lies under this app's path prefix, compared ignoring letter
     * case: many upstreams route paths case-insensitively (Express, ASP.NET, IIS), so {@code /ADMIN/x}
     * must reach the {@code /admin} app and its policy, not slip to the catch-all app of the host.
     */
    public boolean covers(String path) {
        String prefix = app.pathPrefix();
        if (prefix.equals("/")) {
            return true;
        }
        return path.regionMatches(true, 0, prefix, 0, prefix.length())
                && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }
}
