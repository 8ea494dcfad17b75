package dev.gatehouse.identity;

/**
 * Why a back-channel logout token was refused: a short code for the operator's log and the
 * response's {@code error_description} (never the token or its claims).
 */
public final class LogoutTokenRejected extends RuntimeException {
    private final String code;

    public LogoutTokenRejected(String code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    /** e.g. {@code bad-signature}, {@code unknown-issuer}, {@code replayed}. */
    public String code() {
        return code;
    }
}
