package dev.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/** Hostile-token minting and the assertions every case of the suite shares. */
final class Hostile {
    private Hostile() {
    }

    static TestIdp idp() {
        return GatehouseTestResource.idp();
    }

    static RecordingUpstream upstream() {
        return GatehouseTestResource.upstream();
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] unb64(String s) {
        return Base64.getUrlDecoder().decode(s);
    }

    static String json(Map<String, Object> claims) {
        return new JsonObject(claims).encode();
    }

    /** The RS256 header the test IdP would write for its current key. */
    static String idpHeader() {
        return "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + idp().currentKid() + "\"}";
    }

    /**
     * Signs {@code payloadJson} exactly as given (no claim added or converted, unlike smallrye's
     * builder) with the IdP's current key: only the claims differ from a genuine token.
     */
    static String idpSigned(String payloadJson) {
        return rs256(idpHeader(), payloadJson.getBytes(StandardCharsets.UTF_8), idp().currentKey().getPrivate());
    }

    static String idpSigned(Map<String, Object> claims) {
        return idpSigned(json(claims));
    }

    static String rs256(String headerJson, String payloadJson, PrivateKey key) {
        return rs256(headerJson, payloadJson.getBytes(StandardCharsets.UTF_8), key);
    }

    static String rs256(String headerJson, byte[] payload, PrivateKey key) {
        return rs256(headerJson.getBytes(StandardCharsets.UTF_8), payload, key);
    }

    static String rs256(byte[] header, byte[] payload, PrivateKey key) {
        try {
            String input = b64(header) + "." + b64(payload);
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC token (HS256/HS384/HS512) keyed by any bytes, an empty key included (javax.crypto refuses those). */
    static String hmac(String alg, String headerJson, String payloadJson, byte[] key) {
        String hash = switch (alg) {
            case "HS256" -> "SHA-256";
            case "HS384" -> "SHA-384";
            case "HS512" -> "SHA-512";
            default -> throw new IllegalArgumentException(alg);
        };
        String input = b64(headerJson) + "." + b64(payloadJson);
        return input + "." + b64(hmac(hash, key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static byte[] hmac(String hash, byte[] key, byte[] message) {
        try {
            int block = hash.equals("SHA-256") ? 64 : 128;
            MessageDigest md = MessageDigest.getInstance(hash);
            byte[] k = key.length > block ? md.digest(key) : key;
            k = Arrays.copyOf(k, block);
            byte[] ipad = new byte[block];
            byte[] opad = new byte[block];
            for (int i = 0; i < block; i++) {
                ipad[i] = (byte) (k[i] ^ 0x36);
                opad[i] = (byte) (k[i] ^ 0x5c);
            }
            md.reset();
            md.update(ipad);
            byte[] inner = md.digest(message);
            md.reset();
            md.update(opad);
            return md.digest(inner);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> bearer(String host, String path, String token) {
        return Http.get(host, path, token);
    }

    /** A refusal by Gatehouse itself: status, problem+json reason, request id, and nothing upstream. */
    static void assertRefused(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/problem+json");
        assertThat(new JsonObject(r.body()).getString("reason")).as(r.body()).isEqualTo(reason);
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        assertNothingUpstream();
        if (status == 401) {
            assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).contains("Bearer")
                    .contains("error=\"invalid_token\"");
        }
    }

    static void assertNothingUpstream() {
        assertThat(upstream().received()).as("the upstream must not be contacted").isEmpty();
    }

    /** The status line's code of a raw HTTP/1.1 answer, or -1 when the server answered nothing. */
    static int rawStatus(String answer) {
        if (!answer.startsWith("HTTP/1.")) {
            return -1;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    /**
     * Sends raw bytes on a fresh connection and reads until the server closes or 3 s pass; unlike
     * {@link Http#raw} it tolerates the server closing while it still writes (a huge request).
     */
    static String raw(byte[] request) {
        try (Socket s = new Socket("127.0.0.1", Http.port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server stopped reading: what it answered (if anything) is still readable
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    got.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                got.write("\n<<timeout: connection still open>>".getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // reset by the server after its answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String raw(String request) {
        return raw(request.getBytes(StandardCharsets.ISO_8859_1));
    }
}
