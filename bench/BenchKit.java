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
                if (args.length != 6) {
                    usage();
                }
                System.out.println(config(Path.of(args[1]), Integer.parseInt(args[2]), args[3], args[4], args[5]));
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
        String pem = Files.readString(keyDir.resolve("private.pem"));
        String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        long now = System.currentTimeMillis() / 1000;
        return token(key, issuer, audience, sub, groups.split(","), now, now + 30L * 24 * 3600, 0);
    }

    private static void usage() {
        System.err.println("usage: BenchKit keys OUTDIR ISSUER AUDIENCE MISS_TOKENS | config OUT APPS ISSUER AUDIENCE UPSTREAM"
                + " | token KEYDIR ISSUER AUDIENCE SUB GROUPS");
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
        String groupList = "\"" + String.join("\",\"", groups) + "\"";
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KID + "\"}";
        String payload = "{\"iss\":\"" + issuer + "\",\"aud\":\"" + audience + "\",\"sub\":\"" + sub + "\",\"email\":\"" + sub
                + "@example.com\",\"groups\":[" + groupList + "],\"device_id\":\"laptop-" + jti
                + "\",\"device_compliant\":true,\"amr\":[\"pwd\",\"otp\"],\"iat\":" + iat + ",\"exp\":" + exp
                + ",\"jti\":\"bench-" + jti + "\"}";
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
        int target = apps / 2;
        if (target % 10 == 5) {
            target++; // keep it an exact host
        }
        StringBuilder sb = new StringBuilder(apps * 400);
        sb.append("# generated by bench/BenchKit.java: ").append(apps).append(" apps\n");
        sb.append("idps:\n  bench:\n    issuer: ").append(issuer).append("\n    audience: ").append(audience)
                .append("\n    client-id: gatehouse\napps:\n");
        for (int i = 0; i < apps; i++) {
            boolean wildcard = i % 10 == 5;
            sb.append("  - id: app-").append(i).append('\n');
            sb.append("    host: \"").append(wildcard ? "*.tenant-" + i + ".bench.test" : "app-" + i + ".bench.test").append("\"\n");
            if (i % 3 == 1 && i != target) {
                sb.append("    path-prefix: /api\n");
            }
            sb.append("    upstream: ").append(upstream).append('\n');
            sb.append("    idp: bench\n");
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
