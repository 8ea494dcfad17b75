package dev.gatehouse.testing;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Requests to the admin API on the admin host ({@code admin.localhost}) of the data port, with a
 * bearer token, as a client of it would send them.
 */
public final class AdminClient {
    public static final String HOST = "admin.localhost";

    private final String token;

    public AdminClient(String token) {
        this.token = token;
    }

    public HttpResponse<String> get(String path) {
        return Http.send(builder(path).GET().build());
    }

    /** PUT with a JSON body and one precondition header (name and value), or none when {@code header} is null. */
    public HttpResponse<String> put(String path, String json, String header, String value) {
        HttpRequest.Builder b = builder(path).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (header != null) {
            b.header(header, value);
        }
        return Http.send(b.build());
    }

    public HttpResponse<String> create(String id, String json) {
        return put("/api/v1/apps/" + id, json, "If-None-Match", "*");
    }

    public HttpResponse<String> replace(String id, String json, long version) {
        return put("/api/v1/apps/" + id, json, "If-Match", "\"" + version + "\"");
    }

    public HttpResponse<String> post(String path, String json, String ifMatch) {
        HttpRequest.Builder b = builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return Http.send(b.build());
    }

    public HttpResponse<String> delete(String path, String ifMatch) {
        HttpRequest.Builder b = builder(path).DELETE();
        if (ifMatch != null) {
            b.header("If-Match", ifMatch);
        }
        return Http.send(b.build());
    }

    public HttpRequest.Builder builder(String path) {
        HttpRequest.Builder b = Http.to(HOST, path);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    /** The body as JSON. */
    public static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    /** An app document for {@code host}, forwarding to {@code upstream}, with an allow rule in JSON. */
    public static String app(String host, String upstream, String allowJson) {
        return "{\"host\": \"" + host + "\", \"upstream\": \"" + upstream + "\", \"idp\": \"test\", "
                + "\"policy\": {\"allow\": " + allowJson + "}}";
    }
}
