package dev.gatehouse.testing;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test certificate for "localhost" ({@code src/test/resources/tls}, self-signed: a private CA of
 * its own) and a JDK client that trusts it and nothing else, for test servers on https.
 */
public final class TestTls {
    /** The PEM certificate of "localhost". */
    public static final Path LOCALHOST_CERT = Path.of("src/test/resources/tls/localhost-cert.pem").toAbsolutePath();
    /** Its PEM private key. */
    public static final Path LOCALHOST_KEY = Path.of("src/test/resources/tls/localhost-key.pem").toAbsolutePath();

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).sslContext(trustingLocalhost()).build();

    private TestTls() {
    }

    /** A TLS context that trusts the "localhost" test certificate only. */
    public static SSLContext trustingLocalhost() {
        try (InputStream in = Files.newInputStream(LOCALHOST_CERT)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the request trusting the test certificate. */
    public static HttpResponse<String> send(HttpRequest request) {
        return Http.send(CLIENT, request);
    }
}
