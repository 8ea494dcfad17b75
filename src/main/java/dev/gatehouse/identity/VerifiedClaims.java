package dev.gatehouse.identity;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The claims of a token quarkus-oidc has verified, as a plain JSON tree (Map, List, String,
 * Boolean, Integer/Long/Double). Read from the verified token's payload rather than from the
 * principal, whose claim values are JSON-P wrappers plus a synthetic {@code raw_token} claim: the
 * policy must see the JSON types the IdP actually sent ({@code true} is not {@code "true"}).
 */
final class VerifiedClaims {
    private VerifiedClaims() {
    }

    static Map<String, Object> payloadOf(String verifiedCompactJws) {
        String payload = verifiedCompactJws.substring(verifiedCompactJws.indexOf('.') + 1,
                verifiedCompactJws.lastIndexOf('.'));
        byte[] json = Base64.getUrlDecoder().decode(payload);
        return new JsonObject(new String(json, StandardCharsets.UTF_8)).getMap();
    }
}
