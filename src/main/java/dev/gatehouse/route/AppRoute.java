package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.IdpConfig;

/** An app as the request path sees it: its settings and the IdP that authenticates its callers. */
public record AppRoute(AppConfig app, IdpConfig idp) {

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
