package dev.gatehouse.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scripted browser for sign-in tests: a cookie jar that honours {@code Domain}, {@code Max-Age=0}
 * and host-only cookies, and redirects followed by hand (every hop recorded). URLs on the test IdP
 * go to it (https ones on {@code localhost} trusting the test certificate); every other host goes
 * to Gatehouse with that {@code Host}. It sends cookies over plain
 * http (the tests do not run TLS); what Gatehouse sets is asserted on the headers themselves.
 */
public final class Browser {
    /** One stored cookie. */
    public record Cookie(String name, String value, String host, String domain) {
        boolean matches(String h) {
            return domain == null ? h.equals(host) : h.equals(domain) || h.endsWith("." + domain);
        }
    }

    private final Map<String, Cookie> jar = new LinkedHashMap<>();
    /** Every URL requested, in order. */
    public final List<String> visited = new ArrayList<>();
    /** Every response, in order. */
    public final List<HttpResponse<String>> responses = new ArrayList<>();
    private String accept = "text/html,application/xhtml+xml";

    public Browser accept(String accept) {
        this.accept = accept;
        return this;
    }

    /** One request, no redirect followed. */
    public HttpResponse<String> get(String url) {
        return send(url, "GET", null, Map.of());
    }

    /** One request with a urlencoded form body. */
    public HttpResponse<String> post(String url, String form, Map<String, String> headers) {
        return send(url, "POST", form, headers);
    }

    /** GETs the URL and follows redirects (at most 10); returns the last response. */
    public HttpResponse<String> open(String url) {
        HttpResponse<String> r = get(url);
        for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) {
            r = get(location(r, url));
            url = visited.get(visited.size() - 1);
        }
        return r;
    }

    /** Follows the redirects of a response already received. */
    public HttpResponse<String> follow(HttpResponse<String> r) {
        String url = visited.get(visited.size() - 1);
        for (int i = 0; i < 10 && r.statusCode() / 100 == 3; i++) {
            r = get(location(r, url));
            url = visited.get(visited.size() - 1);
        }
        return r;
    }

    public static String location(HttpResponse<String> r, String base) {
        String loc = r.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location in " + r));
        return URI.create(base).resolve(loc).toString();
    }

    private HttpResponse<String> send(String url, String method, String body, Map<String, String> headers) {
        visited.add(url);
        URI u = URI.create(url);
        String host = u.getHost();
        String pathAndQuery = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        // an https IdP runs on "localhost" with the test certificate (a private CA of its own)
        boolean tlsIdp = "https".equals(u.getScheme()) && host.equals("localhost");
        HttpRequest.Builder b = host.equals("127.0.0.1") || tlsIdp
                ? HttpRequest.newBuilder(u).timeout(java.time.Duration.ofSeconds(20))
                : Http.to(u.getRawAuthority(), pathAndQuery);
        b.header("Accept", accept);
        headers.forEach(b::header);
        String cookies = cookieHeader(host);
        if (!cookies.isEmpty()) {
            b.header("Cookie", cookies);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        HttpResponse<String> r = tlsIdp ? TestTls.send(b.build()) : Http.send(b.build());
        responses.add(r);
        for (String set : r.headers().allValues("Set-Cookie")) {
            store(host, set);
        }
        return r;
    }

    /** The Cookie header this browser sends to {@code host}. */
    public String cookieHeader(String host) {
        StringBuilder sb = new StringBuilder();
        for (Cookie c : jar.values()) {
            if (c.matches(host)) {
                sb.append(sb.length() == 0 ? "" : "; ").append(c.name()).append('=').append(c.value());
            }
        }
        return sb.toString();
    }

    private void store(String host, String setCookie) {
        String[] parts = setCookie.split(";");
        String nv = parts[0].trim();
        String name = nv.substring(0, nv.indexOf('='));
        String value = nv.substring(nv.indexOf('=') + 1);
        String domain = null;
        boolean delete = false;
        for (int i = 1; i < parts.length; i++) {
            String a = parts[i].trim();
            if (a.regionMatches(true, 0, "Domain=", 0, 7)) {
                domain = a.substring(7).toLowerCase();
            } else if (a.equalsIgnoreCase("Max-Age=0")) {
                delete = true;
            }
        }
        String key = name + "|" + (domain == null ? host : "." + domain);
        if (delete) {
            jar.remove(key);
        } else {
            jar.put(key, new Cookie(name, value, host, domain));
        }
    }

    /** The cookies in the jar. */
    public List<Cookie> cookies() {
        return List.copyOf(jar.values());
    }

    /** A cookie by name, if the jar has one. */
    public Optional<Cookie> cookie(String name) {
        return jar.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Puts a cookie in the jar by hand (attacks). */
    public void put(String name, String value, String host) {
        jar.put(name + "|" + host, new Cookie(name, value, host, null));
    }

    public void clear() {
        jar.clear();
    }
}
