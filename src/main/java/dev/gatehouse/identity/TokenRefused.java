package dev.gatehouse.identity;

/** A token quarkus-oidc accepted but Gatehouse refuses (no {@code exp}, no subject), with its reason. */
public final class TokenRefused extends SecurityException {
    private final TokenRejection reason;

    public TokenRefused(TokenRejection reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TokenRejection reason() {
        return reason;
    }
}
