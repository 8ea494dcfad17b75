package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Fetches one JSON document of an IdP (its discovery document, its JWKS) for the {@link IdpKeyProbe}:
 * a 2xx answer parsed as a JSON object, anything else a failure that says what was wrong.
 */
interface IdpDocuments {
    /** Sent with every probe request, so an IdP's logs tell the probe from token checks. */
    String USER_AGENT = "gatehouse-idp-probe";
    /** Connect and answer deadline of each request. */
    long TIMEOUT_MILLIS = 5_000;

    /** The document at {@code url}, an endpoint of {@code idp} (its CA decides whom to trust). */
    Future<JsonObject> get(IdpConfig idp, String url);
}
