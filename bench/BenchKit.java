import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.stream.IntStream;

/**
 * Benchmark kit, JDK only (run as {@code java bench/BenchKit.java ...}, no build needed):
 *
 * <pre>
 * keys   OUTDIR ISSUER AUDIENCE MISS_TOKENS   RSA key, JWKS, discovery document, public key PEM (for HAProxy),
 *                                            one long-lived RS256 token and MISS_TOKENS distinct valid tokens
 * config OUT APPS ISSUER AUDIENCE UPSTREAM   a Gatehouse config with APPS apps (exact hosts, every tenth a
 *                                            wildcard); prints the Host of the benchmarked app
 * token  KEYDIR ISSUER AUDIENCE SUB GROUPS   one more RS256 token signed with KEYDIR/private.pem (made by
 *                                            "keys"), GROUPS comma-separated; prints it (soak: a token the
 *                                            bench policy denies, e.g. groups "staff,sales")
 * config OUT APPS ISSUER AUDIENCE UPSTREAM both
 *                                            the same, the benchmarked app {@code login: both} and the IdP
 *                                            with the client secret {@value #CLIENT_SECRET} (session step)
 * idp    KEYDIR PORT                         a minimal OpenID provider on 127.0.0.1:PORT (issuer
 *                                            http://127.0.0.1:PORT): discovery, JWKS, an authorization
 *                                            endpoint that signs "alice" in at once, a token endpoint that
 *                                            returns her ID token (with the nonce asked for) signed with
 *                                            KEYDIR/private.pem; runs until killed
 * signin GATEHOUSE_URL HOST                  signs in through Gatehouse's real code flow (app HOST, the
 *                                            IdP above): prints the session cookie as name=value
 * </pre>
 */
public final class BenchKit {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    static final String KID = "bench-1";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        switch (args[0]) {
            case "keys" -> {
                if (args.length != 5) {
                    usage();
                }
                keys(Path.of(args[1]), args[2], args[3], Integer.parseInt(args[4]));
            }
            case "config" -> {
                if (args.length != 6 && !(args.length == 7 && args[6].equals("both"))) {
                    usage();
                }
                System.out.println(config(Path.of(args[1]), Integer.parseInt(args[2]), args[3], args[4], args[5],
                        args.length == 7));
            }
            case "idp" -> {
                if (args.length != 3) {
                    usage();
                }
                BenchIdp.serve(Path.of(args[1]), Integer.parseInt(args[2]));
            }
            case "signin" -> {
                if (args.length != 3) {
                    usage();
                }
                System.out.println(BenchIdp.signIn(args[1], args[2]));
            }
            case "token" -> {
                if (args.length != 6) {
                    usage();
                }
                System.out.println(token(Path.of(args[1]), args[2], args[3], args[4], args[5]));
            }
            default -> usage();
        }
    }

    static String token(Path keyDir, String issuer, String audience, String sub, String groups) throws Exception {
        PrivateKey key = privateKey(keyDir);
        long now = System.currentTimeMillis() / 1000;
        return token(key, issuer, audience, sub, groups.split(","), now, now + 30L * 24 * 3600, 0);
    }

    /** The key "keys" wrote to KEYDIR/private.pem. */
    static PrivateKey privateKey(Path keyDir) throws Exception {
        String pem = Files.readString(keyDir.resolve("private.pem"));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static void usage() {
        System.err.println("usage: BenchKit keys OUTDIR ISSUER AUDIENCE MISS_TOKENS | config OUT APPS ISSUER AUDIENCE UPSTREAM"
                + " [both] | token KEYDIR ISSUER AUDIENCE SUB GROUPS | idp KEYDIR PORT | signin GATEHOUSE_URL HOST");
        System.exit(2);
    }

    static void keys(Path dir, String issuer, String audience, int missTokens) throws Exception {
        Files.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair kp = gen.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        Files.writeString(dir.resolve("jwks.json"), "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
                + KID + "\",\"n\":\"" + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}\n");
        Files.writeString(dir.resolve("openid-configuration"), "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer
                + "/certs\",\"authorization_endpoint\":\"" + issuer + "/auth\",\"token_endpoint\":\"" + issuer
                + "/token\",\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}\n");
        Files.writeString(dir.resolve("pubkey.pem"), pem("PUBLIC KEY", pub.getEncoded()));
        Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        long now = System.currentTimeMillis() / 1000;
        long exp = now + 30L * 24 * 3600; // long-lived: the whole run uses one token
        Files.writeString(dir.resolve("token.txt"), token(kp.getPrivate(), issuer, audience, "alice", now, exp, 0) + "\n");
        // distinct valid tokens for the cache-miss run: each differs in sub and jti
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(kp.getPrivate().getEncoded()));
        String[] tokens = new String[missTokens];
        IntStream.range(0, missTokens).parallel().forEach(i -> tokens[i] = token(key, issuer, audience, "user-" + i, now, exp, i + 1));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("miss-tokens.txt"))) {
            for (String t : tokens) {
                w.write(t);
                w.write('\n');
            }
        }
    }

    static String token(PrivateKey key, String issuer, String audience, String sub, long iat, long exp, int jti) {
        return token(key, issuer, audience, sub, new String[] {"staff", "engineering"}, iat, exp, jti);
    }

    static String token(PrivateKey key, String issuer, String audience, String sub, String[] groups, long iat, long exp,
                        int jti) {
        return token(key, issuer, audience, sub, groups, iat, exp, jti, null);
    }

    /** @param nonce the {@code nonce} claim of an ID token, or null */
    static String token(PrivateKey key, String issuer, String audience, String sub, String[] groups, long iat, long exp,
                        int jti, String nonce) {
        String groupList = "\"" + String.join("\",\"", groups) + "\"";
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
        String payload = "{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + sub + "\",\"email\":\"" + sub
                + "@example.com\",\"groups\":[" + groupList + "],\"device_id\":\"laptop-" + jti
                + "\",\"device_compliant\":true,\"amr\":[\"pwd\",\"otp\"],\"iat\":" + iat + ",\"exp\":" + exp
                + ",\"jti\":\"bench-" + jti + "\"" + (nonce == null ? "" : ",\"nonce\":\"" + nonce + "\"") + "}";
        String signingInput = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a config with {@code apps} apps, all on the same upstream and IdP, each with a realistic
     * policy (groups, device compliance, a blocked network in deny). Every tenth app is a wildcard host; the benchmarked app is the exact-host app in the
     * middle of the list. Returns its Host.
     */
    static String config(Path out, int apps, String issuer, String audience, String upstream) throws Exception {
        return config(out, apps, issuer, audience, upstream, false);
    }

    /** The secret of the {@code gatehouse} client at {@link BenchIdp} (bench only). */
    static final String CLIENT_SECRET = "bench-client-secret";

    /**
     * @param both the benchmarked app takes browser sessions too ({@code login: both}; the session step
     *             measures a bearer cache hit and a session cookie on it, through one Gatehouse)
     */
    static String config(Path out, int apps, String issuer, String audience, String upstream, boolean both)
            throws Exception {
        int target = apps / 2;
        if (target % 10 == 5) {
            target++; // keep it an exact host
        }
        StringBuilder sb = new StringBuilder(apps * 400);
        sb.append("# generated by bench/BenchKit.java: ").append(apps).append(" apps\n");
        sb.append("idps:\n  bench:\n    issuer: ").append(issuer).append("\n    audience: ").append(audience)
                .append("\n    client-id: gatehouse\n").append(both ? "    client-secret: " + CLIENT_SECRET + "\n" : "")
                .append("apps:\n");
        for (int i = 0; i < apps; i++) {
            boolean wildcard = i % 10 == 5;
            sb.append("  - id: app-").append(i).append('\n');
            sb.append("    host: \"").append(wildcard ? "*.tenant-" + i + ".bench.test" : "app-" + i + ".bench.test").append("\"\n");
            if (i % 3 == 1 && i != target) {
                sb.append("    path-prefix: /api\n");
            }
            sb.append("    upstream: ").append(upstream).append('\n');
            sb.append("    idp: bench\n");
            if (both && i == target) {
                sb.append("    login: both\n");
            }
            // flow style keeps 10,000 apps under the 3 MB document limit of Gatehouse's YAML parser
            // (SnakeYAML's default code point limit; the block style of the README example needs ~330 B per app)
            sb.append("    policy: {allow: {and: [{groups: {has: engineering}}, {device: {compliant: true}}]},")
                    .append(" deny: {or: [{source_ip: {in: [203.0.113.0/24, \"2001:db8:bad::/48\"]}}]}}\n");
        }
        Files.writeString(out, sb);
        return "app-" + target + ".bench.test";
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}

/**
 * The session step's IdP and browser: a minimal OpenID provider (authorization code flow; it signs
 * "alice" in without a login page: the bench measures Gatehouse, not a login form) and a client
 * that walks Gatehouse's real sign-in (redirect, authorization, callback with the state cookie) to
 * get a session cookie made exactly as a person's is.
 */
final class BenchIdp {
    private BenchIdp() {
    }

    static void serve(java.nio.file.Path keyDir, int port) throws Exception {
        String issuer = "http://127.0.0.1:" + port;
        java.security.PrivateKey key = BenchKit.privateKey(keyDir);
        String jwks = java.nio.file.Files.readString(keyDir.resolve("jwks.json"));
        String discovery = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/certs\","
                + "\"authorization_endpoint\":\"" + issuer + "/auth\",\"token_endpoint\":\"" + issuer + "/token\","
                + "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
                + "\"id_token_signing_alg_values_supported\":[\"RS256\"],\"code_challenge_methods_supported\":[\"S256\"]}";
        java.util.Map<String, String[]> codes = new java.util.concurrent.ConcurrentHashMap<>(); // code -> nonce, client
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", port), 64);
        server.createContext("/.well-known/openid-configuration", ex -> send(ex, 200, discovery));
        server.createContext("/certs", ex -> send(ex, 200, jwks));
        server.createContext("/auth", ex -> {
            java.util.Map<String, String> q = form(ex.getRequestURI().getRawQuery());
            String code = java.util.UUID.randomUUID().toString();
            codes.put(code, new String[] {q.get("nonce"), q.get("client_id")});
            String back = q.get("redirect_uri");
            ex.getResponseHeaders().set("Location", back + (back.contains("?") ? "&" : "?") + "code=" + enc(code)
                    + "&state=" + enc(q.get("state")));
            send(ex, 302, "");
        });
        server.createContext("/token", ex -> {
            java.util.Map<String, String> f = form(new String(ex.getRequestBody().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
            String[] asked = codes.remove(f.getOrDefault("code", ""));
            if (asked == null) {
                send(ex, 400, "{\"error\":\"invalid_grant\"}");
                return;
            }
            long now = System.currentTimeMillis() / 1000;
            long exp = now + 30L * 24 * 3600; // the claims stay current for the whole run: no refresh
            String[] groups = {"staff", "engineering"};
            String id = BenchKit.token(key, issuer, asked[1], "alice", groups, now, exp, 0, asked[0]);
            String access = BenchKit.token(key, issuer, asked[1], "alice", groups, now, exp, 0, null);
            send(ex, 200, "{\"access_token\":\"" + access + "\",\"id_token\":\"" + id
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":2592000}");
        });
        server.start();
        System.out.println("bench IdP " + issuer);
    }

    /** Gatehouse's sign-in, as a browser walks it; returns the session cookie ({@code name=value}). */
    static String signIn(String gatehouseUrl, String host) throws Exception {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1) // as a browser over http: no h2c upgrade
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        java.net.URI base = java.net.URI.create(gatehouseUrl);
        var start = get(client, base, host, null);
        String loginCookie = cookie(start, "__Host-gatehouse_login_", false);
        var atIdp = get(client, java.net.URI.create(location(start)), null, null);
        java.net.URI callback = java.net.URI.create(location(atIdp)); // http://HOST/.gatehouse/callback?code=&state=
        var done = get(client, base.resolve(callback.getRawPath() + "?" + callback.getRawQuery()), host, loginCookie);
        location(done);
        return cookie(done, "gatehouse_session", true);
    }

    private static java.net.http.HttpResponse<String> get(java.net.http.HttpClient client, java.net.URI uri,
                                                          String host, String cookie) throws Exception {
        var b = java.net.http.HttpRequest.newBuilder(uri).header("Accept", "text/html")
                .timeout(java.time.Duration.ofSeconds(30));
        if (host != null) {
            b.header("Host", host);
        }
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static String location(java.net.http.HttpResponse<String> r) {
        if (r.statusCode() != 302) {
            throw new IllegalStateException(r.uri() + " answered " + r.statusCode() + ", not a redirect: " + r.body());
        }
        return r.headers().firstValue("Location").orElseThrow();
    }

    /** The {@code name=value} of the Set-Cookie whose name starts (or, with {@code suffix}, ends) with {@code part}. */
    private static String cookie(java.net.http.HttpResponse<String> r, String part, boolean suffix) {
        for (String set : r.headers().allValues("Set-Cookie")) {
            String nv = set.split(";", 2)[0].trim();
            String name = nv.substring(0, nv.indexOf('='));
            if ((suffix ? name.endsWith(part) : name.startsWith(part)) && nv.length() > name.length() + 1) {
                return nv;
            }
        }
        throw new IllegalStateException(r.uri() + ": no cookie " + part + " in " + r.headers().allValues("Set-Cookie"));
    }

    private static java.util.Map<String, String> form(String raw) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        if (raw == null) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void send(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }
}
