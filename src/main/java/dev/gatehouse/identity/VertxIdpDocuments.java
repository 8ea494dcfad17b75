package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * {@link IdpDocuments} over Vert.x's HTTP client: what the probe uses until an IdP's keys were fetched
 * once (at startup, where readiness waits on it, and nothing of the data plane is compiled yet). Cheap
 * to start, since Vert.x's client is loaded anyway.
 */
final class VertxIdpDocuments implements IdpDocuments {
    /** A client per CA setting of the IdPs ({@code ca-file}), made at the first fetch. */
    private final IdpTrust<HttpClient> clients;

    VertxIdpDocuments(Vertx vertx) {
        this.clients = new IdpTrust<>(ca -> vertx.createHttpClient(IdpTrust.trusting(ca, new HttpClientOptions()
                .setConnectTimeout((int) TIMEOUT_MILLIS).setIdleTimeout(10).setMaxPoolSize(2))));
    }

    @Override
    public Future<JsonObject> get(IdpConfig idp, String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setTimeout(TIMEOUT_MILLIS).putHeader("User-Agent", USER_AGENT);
        return clients.clientFor(idp).request(options)
                .compose(req -> req.send())
                .compose(resp -> resp.statusCode() / 100 == 2 ? resp.body()
                        : Future.failedFuture(url + " answered " + resp.statusCode()))
                .map(JsonObject::new);
    }
}
