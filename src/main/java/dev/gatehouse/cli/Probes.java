package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.IdpConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/** The contacts {@link DoctorCommand} makes: one method per thing a config depends on. */
final class Probes {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** OAuth errors about the request rather than the client (RFC 6749 5.2): they say nothing of the secret. */
    private static final Set<String> NOT_A_VERDICT_ON_THE_SECRET = Set.of("invalid_request", "invalid_scope",
            "unsupported_grant_type");

    private final HttpClient client;
    private final Duration timeout;

    Probes(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /**
     * Discovery, issuer, keys and (with a secret) client credentials of one IdP.
     *
     * @param claimsAsked the claim settings the config asks of this IdP ({@link ClaimsAsked}): the
     *                    only ones whose absence from a token is reported
     */
    List<Finding> idp(IdpConfig idp, java.util.Set<String> claimsAsked) {
        String subject = "idp " + idp.id();
        List<Finding> out = new ArrayList<>();
        String issuer = idp.issuer();
        String discoveryUrl = (issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                + "/.well-known/openid-configuration";
        JsonNode discovery;
        try {
            HttpResponse<String> r = get(discoveryUrl);
            if (r.statusCode() != 200) {
                out.add(Finding.fail(subject, discoveryUrl + " answered " + r.statusCode()
                        + ": the issuer URL is probably wrong (check the realm or tenant in it); every token would be refused"));
                return out;
            }
            discovery = JSON.readTree(r.body());
        } catch (IOException e) {
            out.add(Finding.fail(subject, "cannot reach " + discoveryUrl + " (" + why(e)
                    + "): no token could be checked, every request to its apps would get 401"));
            return out;
        }
        String announced = discovery.path("issuer").asText(null);
        if (!issuer.equals(announced)) {
            out.add(Finding.fail(subject, "the IdP calls itself '" + announced + "' but the config says '" + issuer
                    + "': tokens carry the IdP's name, so every token would be refused as wrong-issuer; set issuer to '"
                    + announced + "'"));
        } else {
            out.add(Finding.ok(subject, "discovery answers and names the configured issuer"));
        }
        out.add(keys(subject, discovery.path("jwks_uri").asText(null)));
        out.addAll(credentials(subject, idp, discovery.path("token_endpoint").asText(null), claimsAsked));
        return out;
    }

    private Finding keys(String subject, String jwksUri) {
        if (jwksUri == null) {
            return Finding.fail(subject, "the discovery document names no jwks_uri: no token could be checked");
        }
        try {
            HttpResponse<String> r = get(jwksUri);
            JsonNode keys = r.statusCode() == 200 ? JSON.readTree(r.body()).path("keys") : null;
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                return Finding.fail(subject, jwksUri + " answered " + r.statusCode()
                        + " without keys: no token could be checked");
            }
            return Finding.ok(subject, keys.size() + " signing key" + (keys.size() == 1 ? "" : "s") + " at " + jwksUri);
        } catch (IOException e) {
            return Finding.fail(subject, "cannot fetch the keys at " + jwksUri + " (" + why(e)
                    + "): no token could be checked");
        }
    }

    /**
     * The client-credentials grant: are the client id and secret accepted, and (when the IdP issues a
     * token) what does a token of this IdP carry ({@link TokenClaims}). Empty when there is nothing to
     * check (no client secret configured).
     */
    private List<Finding> credentials(String subject, IdpConfig idp, String tokenEndpoint,
                                      java.util.Set<String> claimsAsked) {
        if (idp.clientSecret() == null || idp.clientSecret().isEmpty() || idp.clientId() == null) {
            return List.of();
        }
        if (tokenEndpoint == null) {
            return List.of(Finding.warn(subject,
                    "the discovery document names no token_endpoint: browser sign-in would not work"));
        }
        String basic = Base64.getEncoder().encodeToString((idp.clientId() + ":" + idp.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(timeout)
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = parse(r.body());
            if (r.statusCode() == 200) {
                List<Finding> out = new ArrayList<>();
                out.add(Finding.ok(subject, "the client id and secret are accepted by the token endpoint"));
                out.addAll(TokenClaims.check(subject, idp, body.path("access_token").asText(null), claimsAsked));
                return out;
            }
            String error = body.path("error").asText("");
            if ("unauthorized_client".equals(error)) {
                // the IdP knows the client and its secret, it only refuses this grant
                return List.of(Finding.ok(subject, "the client id and secret are accepted by the token endpoint"),
                        Finding.warn(subject, "claims not checked: the IdP issues no client-credentials token to '"
                                + idp.clientId() + "' (Keycloak: turn on Service account roles for the client)"));
            }
            if (NOT_A_VERDICT_ON_THE_SECRET.contains(error)) {
                // e.g. Entra ID answers a client-credentials request without a scope with invalid_request
                // before it looks at the secret: nothing is known about the credentials
                return List.of(Finding.warn(subject, "the token endpoint answered " + r.statusCode() + " " + error
                        + " to a client-credentials request: the IdP wants more than Gatehouse sends here, so the "
                        + "client secret and the token's claims were not checked"));
            }
            return List.of(Finding.fail(subject, "the token endpoint refuses client '" + idp.clientId() + "' ("
                    + r.statusCode() + (error.isEmpty() ? "" : " " + error)
                    + "): browser sign-in would fail after the IdP's login page"));
        } catch (IOException e) {
            return List.of(Finding.fail(subject, "cannot reach the token endpoint " + tokenEndpoint + " (" + why(e) + ")"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of(Finding.fail(subject, "interrupted"));
        }
    }

    /** A JSON answer, or an empty object when the body is empty or not JSON (an HTML error page). */
    private static JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            return n == null ? JSON.createObjectNode() : n;
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** Any HTTP answer means the upstream is there; only no answer at all breaks requests (502/504). */
    Finding upstream(AppConfig app) {
        String subject = "upstream " + app.id();
        URI target = app.upstream();
        try {
            long t0 = System.nanoTime();
            HttpResponse<String> r = get(target.toString());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            return Finding.ok(subject, target + " answered " + r.statusCode() + " in " + ms + " ms");
        } catch (IOException e) {
            boolean slow = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
            return Finding.fail(subject, "no answer from " + target + " (" + why(e) + "): requests to "
                    + app.host() + app.pathPrefix() + " would get " + (slow ? "504" : "502"));
        }
    }

    private HttpResponse<String> get(String url) throws IOException {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a usable URL", e);
        }
    }

    private static String why(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
