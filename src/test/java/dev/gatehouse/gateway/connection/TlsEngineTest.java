package dev.gatehouse.gateway.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import org.junit.jupiter.api.Test;

/**
 * The TLS engine is chosen only for an HTTPS port that will exist: Quarkus asks every customizer
 * about HTTPS and turns it off afterwards when no certificate was configured, and loading BoringSSL
 * for nothing costs a cold start 0.3-0.4 s. (TlsTest covers a real HTTPS port.)
 */
class TlsEngineTest {

    @Test
    void withoutACertificateNothingIsChosenOrLoaded() {
        HttpServerOptions options = new HttpServerOptions();
        new TlsEngine("openssl").customizeHttpsServer(options);
        assertThat(options.getSslEngineOptions()).isNull();
    }

    @Test
    void withACertificateTheConfiguredEngineIsUsed() {
        HttpServerOptions openssl = new HttpServerOptions().setKeyCertOptions(new PemKeyCertOptions());
        new TlsEngine("openssl").customizeHttpsServer(openssl);
        assertThat(openssl.getSslEngineOptions()).isInstanceOf(OpenSSLEngineOptions.isAvailable()
                ? OpenSSLEngineOptions.class : JdkSSLEngineOptions.class);
        HttpServerOptions jdk = new HttpServerOptions().setKeyCertOptions(new PemKeyCertOptions());
        new TlsEngine("jdk").customizeHttpsServer(jdk);
        assertThat(jdk.getSslEngineOptions()).isInstanceOf(JdkSSLEngineOptions.class);
    }
}
