package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@link IdpDocuments} over the JDK's HTTP client ({@code java.net.http}), for the probe's requests
 * once the data plane is serving: the once-a-minute re-check and a refresh for a new key id.
 *
 * <p>Why not Vert.x's client, as at startup: the data plane forwards every request through Vert.x's
 * HTTP client and Netty, and the JIT compiles that code for the types the data plane uses (pooled
 * direct buffers, its own handlers). One probe exchange through the same code with other types
 * (unpooled heap buffers, a body aggregator, a fresh connection) made ~120 of those compiled methods
 * fail their type guesses and be thrown away, and the C2 compiler recompile 50-65 methods, every
 * minute, on the core the event loop runs on (BENCHMARKS.md, issue 13 round nine). The JDK's client
 * shares none of that code. It is built at the first re-check, not at startup, where building one
 * costs a few tenths of a second of CPU (round seven).
 */
final class JdkIdpDocuments implements IdpDocuments {
    private final Context context;
    /** A client per CA setting of the IdPs ({@code ca-file}), made at the first fetch. */
    private final IdpTrust<HttpClient> clients = new IdpTrust<>(ca -> {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(TIMEOUT_MILLIS));
        if (ca != null) {
            b.sslContext(ca.sslContext()); // trusts that CA alone; host names still verified
        }
        return b.build();
    });

    /** @param context where each answer is delivered (the probe's), as Vert.x's client would */
    JdkIdpDocuments(Context context) {
        this.context = context;
    }

    @Override
    public Future<JsonObject> get(IdpConfig idp, String url) {
        Promise<JsonObject> answer = Promise.promise();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).GET().timeout(Duration.ofMillis(TIMEOUT_MILLIS))
                    .header("User-Agent", USER_AGENT).build();
        } catch (IllegalArgumentException e) { // not a URI the client takes (a jwks_uri from a discovery document)
            return Future.failedFuture(url + " is not a usable URL: " + e.getMessage());
        }
        clients.clientFor(idp).sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) ->
                context.runOnContext(v -> {
                    if (err != null) {
                        answer.fail(err);
                    } else if (resp.statusCode() / 100 != 2) {
                        answer.fail(url + " answered " + resp.statusCode());
                    } else {
                        try {
                            answer.complete(new JsonObject(resp.body()));
                        } catch (RuntimeException e) { // not JSON, or not an object
                            answer.fail(url + " answered no JSON object: " + e.getMessage());
                        }
                    }
                }));
        return answer.future();
    }
}
