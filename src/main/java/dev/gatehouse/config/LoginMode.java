package dev.gatehouse.config;

/** How an app's callers authenticate. */
public enum LoginMode {
    /** API clients send {@code Authorization: Bearer}; no token means 401. */
    BEARER,
    /** People in a browser; no session means a redirect to the IdP login. */
    BROWSER,
    /** Either: a bearer token when present, otherwise the browser flow. */
    BOTH;

    static LoginMode parse(String value) {
        return switch (value) {
            case "bearer" -> BEARER;
            case "browser" -> BROWSER;
            case "both" -> BOTH;
            default -> null;
        };
    }
}
