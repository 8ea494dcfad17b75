package dev.gatehouse.gateway.connection;

import dev.gatehouse.config.GatehouseSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Chooses the TLS implementation of the data port ({@code gatehouse.tls.engine}). OpenSSL
 * (BoringSSL, bundled through netty-tcnative) is the default because it measured faster than the
 * JDK's on both keep-alive requests and new handshakes (BENCHMARKS.md, TLS step); where its native
 * library cannot load (another OS or CPU), the JDK's is used and the log says so: TLS never fails
 * to start over this choice. Without a certificate there is no HTTPS port and nothing is loaded.
 */
@ApplicationScoped
public class TlsEngine implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(TlsEngine.class);

    private final String engine;

    @Inject
    public TlsEngine(GatehouseSettings settings) {
        this(settings.tls().engine());
    }

    TlsEngine(String engine) {
        this.engine = engine;
        if (!engine.equals("openssl") && !engine.equals("jdk")) {
            throw new ConfigurationException("gatehouse.tls.engine: '" + engine + "' is neither openssl nor jdk");
        }
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getKeyCertOptions() == null) {
            // Quarkus asks every customizer about HTTPS, then turns it off when no certificate was
            // configured: no TLS port, so the native library (0.3-0.4 s of a cold start) is not loaded
            return;
        }
        if (engine.equals("openssl") && OpenSSLEngineOptions.isAvailable()) {
            options.setSslEngineOptions(new OpenSSLEngineOptions().setSessionCacheEnabled(true));
            LOG.infof("TLS engine: OpenSSL (%s)", io.netty.handler.ssl.OpenSsl.versionString());
        } else {
            if (engine.equals("openssl")) {
                LOG.warnf("TLS engine: JDK (OpenSSL was asked for but cannot load here: %s)",
                        String.valueOf(io.netty.handler.ssl.OpenSsl.unavailabilityCause()));
            } else {
                LOG.info("TLS engine: JDK");
            }
            options.setSslEngineOptions(new JdkSSLEngineOptions());
        }
    }
}
