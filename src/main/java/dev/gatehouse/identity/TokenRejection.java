package dev.gatehouse.identity;

import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Why a presented bearer token was refused, for the operator: the decision log's {@code token_error}
 * and the bounded label of {@code gatehouse_token_rejections_total{idp,reason}}. The caller always
 * gets the same generic {@code invalid-token}: telling an attacker which check failed helps them.
 */
public enum TokenRejection {
    /** Not a compact JWS, not base64url, not JSON, or a claim of the wrong type. */
    MALFORMED("malformed"),
    TOKEN_EXPIRED("token-expired"),
    /** {@code nbf} (or {@code iat}) in the future beyond the allowed skew. */
    TOKEN_NOT_YET_VALID("token-not-yet-valid"),
    WRONG_ISSUER("wrong-issuer"),
    WRONG_AUDIENCE("wrong-audience"),
    BAD_SIGNATURE("bad-signature"),
    /** Signed with a key ({@code kid}) the IdP's JWKS does not publish, even after a refetch. */
    UNKNOWN_KEY("unknown-key"),
    /** Verified, but names nobody (no string {@code sub}). */
    MISSING_SUBJECT("missing-subject"),
    /** The IdP's discovery document or keys could not be fetched: nothing could be checked. */
    IDP_UNAVAILABLE("idp-unavailable"),
    /** Anything else the verifier refused. */
    OTHER("other");

    private final String code;

    TokenRejection(String code) {
        this.code = code;
    }

    /** The kebab-case code. */
    public String code() {
        return code;
    }

    /** Classifies a verification failure by walking its causes (jose4j's error codes first). */
    public static TokenRejection of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidJwtException jwt) {
                return fromJose4j(jwt);
            }
            if (t instanceof TokenRefused refused) {
                return refused.reason();
            }
            String type = t.getClass().getSimpleName();
            if (type.equals("UnresolvableKeyException")) {
                return UNKNOWN_KEY;
            }
            if (type.equals("ConnectException") || type.equals("UnknownHostException")
                    || type.equals("OidcEndpointAccessException") || type.contains("Timeout")) {
                return IDP_UNAVAILABLE;
            }
        }
        return OTHER;
    }

    private static TokenRejection fromJose4j(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return BAD_SIGNATURE;
        }
        if (e.hasExpired()) {
            return TOKEN_EXPIRED;
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID) || e.hasErrorCode(ErrorCodes.ISSUED_AT_INVALID_FUTURE)) {
            return TOKEN_NOT_YET_VALID;
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID) || e.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
            return WRONG_ISSUER;
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return WRONG_AUDIENCE;
        }
        if (e.hasErrorCode(ErrorCodes.JSON_INVALID) || e.hasErrorCode(ErrorCodes.MALFORMED_CLAIM)
                || e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return MALFORMED;
        }
        for (var detail : e.getErrorDetails()) {
            // jose4j reports a kid missing from the JWKS as a miscellaneous error naming the exception
            // (TokenRejectionReasonsTest pins this against the jose4j version in use)
            if (detail.getErrorMessage() != null && detail.getErrorMessage().contains("UnresolvableKeyException")) {
                return UNKNOWN_KEY;
            }
        }
        return OTHER;
    }
}
