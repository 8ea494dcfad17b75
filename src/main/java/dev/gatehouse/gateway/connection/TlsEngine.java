package dev.gatehouse.gateway.connection;

import dev.gatehouse.config.GatehouseSettings;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;

/**
 * Chooses the TLS implementation of the data port ({@code gatehouse.tls.engine}). OpenSSL
 * (BoringSSL, bundled through netty-tcnative) is the default because it measured faster than the
 * JDK's on both keep-alive requests and new handshakes (BENCHMARKS.md, TLS step); where its native
 * library cannot load (another OS or CPU), the JDK's is used and the log says so: TLS never fails
 * to start over this choice. Without a certificate there is no HTTPS port and nothing is loaded.
 *
 * <p>With OpenSSL the certificate and private key are handed to BoringSSL once per TLS context,
 * not once per handshake as Netty does with the KeyManagerFactory Vert.x gives it, and an RSA key's
 * signatures are made by AWS-LC where it loads ({@link CachingOpenSslEngineOptions},
 * {@link NativeTlsSigner}): together they took about half the CPU of a new TLS connection.
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
            CachingOpenSslEngineOptions openssl = new CachingOpenSslEngineOptions(
                    NativeTlsSigner.provider() != null && keyMethodSupported());
            options.setSslEngineOptions(openssl.setSessionCacheEnabled(true));
            LOG.infof("TLS engine: OpenSSL (%s), RSA signatures by %s", OpenSsl.versionString(),
                    openssl.nativeSigning() ? "AWS-LC (ACCP)" : "BoringSSL");
        } else {
            if (engine.equals("openssl")) {
                LOG.warnf("TLS engine: JDK (OpenSSL was asked for but cannot load here: %s)",
                        String.valueOf(OpenSsl.unavailabilityCause()));
            } else {
                LOG.info("TLS engine: JDK");
            }
            options.setSslEngineOptions(new JdkSSLEngineOptions());
        }
    }

    /** Whether the OpenSSL library lets a private-key method sign (BoringSSL, as bundled, does). */
    static boolean keyMethodSupported() {
        return SslProvider.isOptionSupported(SslProvider.OPENSSL, OpenSslContextOption.PRIVATE_KEY_METHOD);
    }

    /**
     * OpenSSL engine options whose server TLS contexts (1) keep the native key material and (2) have
     * RSA signatures made by {@link NativeTlsSigner} where AWS-LC loads.
     *
     * <p>(1) Vert.x builds every server context from a KeyManagerFactory, and Netty's OpenSSL context
     * then asks that factory's key manager for the certificate chain and private key on every
     * handshake, encodes both to PEM and has BoringSSL parse them again; an RSA key parsed anew also
     * loses what BoringSSL precomputes for it on first use (Montgomery contexts, blinding), so every
     * handshake paid for that too. Wrapped in Netty's {@link OpenSslCachingX509KeyManagerFactory},
     * each alias is parsed once per context (BENCHMARKS.md, issue 13 round six).
     *
     * <p>A reloaded certificate still takes effect: Vert.x builds new contexts for new key material
     * (HttpServer#updateSSLOptions, which Quarkus's certificate reloading calls), each through a new
     * factory from {@link #sslContextFactory()}, with a cache and a signer of its own; connections
     * made before keep the context they started with.
     */
    static final class CachingOpenSslEngineOptions extends OpenSSLEngineOptions {
        private final boolean nativeSigning;

        CachingOpenSslEngineOptions(boolean nativeSigning) {
            this.nativeSigning = nativeSigning;
        }

        CachingOpenSslEngineOptions(CachingOpenSslEngineOptions other) {
            super(other);
            this.nativeSigning = other.nativeSigning;
        }

        boolean nativeSigning() {
            return nativeSigning;
        }

        @Override
        public CachingOpenSslEngineOptions setSessionCacheEnabled(boolean sessionCacheEnabled) {
            super.setSessionCacheEnabled(sessionCacheEnabled);
            return this;
        }

        @Override
        public CachingOpenSslEngineOptions copy() {
            return new CachingOpenSslEngineOptions(this);
        }

        @Override
        public SslContextFactory sslContextFactory() {
            return new ServerKeyMaterial(super.sslContextFactory(), nativeSigning ? NativeTlsSigner.provider() : null);
        }
    }

    /** Vert.x's factory, with the key material cached and, for a server with AWS-LC, signed natively. */
    static final class ServerKeyMaterial implements SslContextFactory {
        private final SslContextFactory delegate;
        private final Provider signing;
        private KeyManagerFactory keyManagers;
        private boolean client;
        private NativeTlsSigner signer;

        ServerKeyMaterial(SslContextFactory delegate, Provider signing) {
            this.delegate = delegate;
            this.signing = signing;
        }

        @Override
        public SslContextFactory keyMananagerFactory(KeyManagerFactory kmf) {
            this.keyManagers = kmf;
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            this.client = forClient;
            delegate.forClient(forClient);
            return this;
        }

        @Override
        public SslContext create() throws SSLException {
            KeyManagerFactory kmf = keyManagers;
            NativeTlsSigner signer = null;
            if (kmf != null && !client && signing != null && keyMethodSupported()
                    && !(kmf instanceof OpenSslCachingX509KeyManagerFactory)) {
                try {
                    signer = new NativeTlsSigner(signing);
                    kmf = signer.hideRsaKeys(kmf);
                } catch (GeneralSecurityException e) {
                    LOG.warnf("TLS: RSA signatures by BoringSSL (%s)", e.toString());
                    signer = null;
                }
            }
            if (kmf != null && !(kmf instanceof OpenSslCachingX509KeyManagerFactory)) {
                kmf = new OpenSslCachingX509KeyManagerFactory(kmf);
            }
            delegate.keyMananagerFactory(kmf);
            SslContext context = delegate.create();
            this.signer = signer;
            if (signer != null) {
                // an OpenSSL provider's context always is one; without the method the hidden keys would
                // leave BoringSSL nothing to sign with, so fail loudly rather than serve broken handshakes
                ((ReferenceCountedOpenSslContext) context).setPrivateKeyMethod(signer);
            }
            return context;
        }

        /** The signer of the context {@link #create()} built last, or null (BoringSSL signs). */
        NativeTlsSigner signer() {
            return signer;
        }

        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            delegate.useAlpn(useAlpn);
            return this;
        }

        @Override
        public SslContextFactory clientAuth(ClientAuth clientAuth) {
            delegate.clientAuth(clientAuth);
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(TrustManagerFactory tmf) {
            delegate.trustManagerFactory(tmf);
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(Set<String> enabledCipherSuites) {
            delegate.enabledCipherSuites(enabledCipherSuites);
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(List<String> applicationProtocols) {
            delegate.applicationProtocols(applicationProtocols);
            return this;
        }

        @Override
        public SslContextFactory serverName(String serverName) {
            delegate.serverName(serverName);
            return this;
        }
    }
}
