package dev.gatehouse.gateway.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSslPrivateKeyMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS engine is chosen only for an HTTPS port that will exist: Quarkus asks every customizer
 * about HTTPS and turns it off afterwards when no certificate was configured, and loading BoringSSL
 * for nothing costs a cold start 0.3-0.4 s. With OpenSSL, the server's key material is parsed once
 * per TLS context (not per handshake), RSA signatures are made by AWS-LC where it loads, and a
 * reloaded certificate is served to new connections. (TlsTest covers a real HTTPS port with ALPN h2.)
 */
class TlsEngineTest {
    private static final Path TLS = Path.of("src/test/resources/tls");
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

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
                ? TlsEngine.CachingOpenSslEngineOptions.class : JdkSSLEngineOptions.class);
        // Vert.x copies the server's options: the copy must keep what the engine does
        HttpServerOptions copy = new HttpServerOptions(openssl);
        assertThat(copy.getSslEngineOptions()).isExactlyInstanceOf(openssl.getSslEngineOptions().getClass());
        HttpServerOptions jdk = new HttpServerOptions().setKeyCertOptions(new PemKeyCertOptions());
        new TlsEngine("jdk").customizeHttpsServer(jdk);
        assertThat(jdk.getSslEngineOptions()).isInstanceOf(JdkSSLEngineOptions.class);
    }

    /** Netty used to have the key manager give, and BoringSSL parse, the key on every handshake. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theKeyIsReadOncePerContextNotPerHandshake(boolean nativeSigning) throws Exception {
        assumeTrue(OpenSSLEngineOptions.isAvailable());
        assumeTrue(!nativeSigning || NativeTlsSigner.provider() != null);
        Counting keys = new Counting(keyManager("api.test"));
        SslContext server = serverContext(new TlsEngine.CachingOpenSslEngineOptions(nativeSigning).sslContextFactory(),
                factoryOf(keys));
        SslContext client = client(null, null);
        try {
            for (int i = 0; i < 3; i++) {
                assertThat(handshake(client, server)).isEqualTo("CN=api.test");
            }
            assertThat(keys.privateKeyReads.get()).isEqualTo(1);
        } finally {
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(client);
        }
    }

    /**
     * AWS-LC signs whatever BoringSSL's handshake asks of an RSA key: TLS 1.3 (RSA-PSS), TLS 1.2 with
     * ECDHE (RSA-PSS or PKCS #1) and TLS 1.2's RSA key exchange (a raw decryption); each handshake
     * finishes only if the client accepted the signature, and the key was never given to BoringSSL.
     */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2", "TLSv1.2 ECDHE-RSA-AES128-GCM-SHA256", "TLSv1.2 AES128-GCM-SHA256"})
    void nativeSignaturesCompleteHandshakes(String clientSetting) throws Exception {
        assumeTrue(OpenSSLEngineOptions.isAvailable() && NativeTlsSigner.provider() != null);
        String[] setting = clientSetting.split(" ");
        TlsEngine.ServerKeyMaterial factory = (TlsEngine.ServerKeyMaterial)
                new TlsEngine.CachingOpenSslEngineOptions(true).sslContextFactory();
        SslContext server = serverContext(factory, factoryOf(keyManager("api.test")));
        NativeTlsSigner signer = factory.signer();
        assertThat(signer).isNotNull();
        SslContext client = client(setting[0], setting.length > 1 ? setting[1] : null);
        try {
            SSLEngine[] engines = new SSLEngine[2];
            assertThat(handshake(client, server, engines)).isEqualTo("CN=api.test");
            assertThat(engines[1].getSession().getProtocol()).isEqualTo(setting[0]);
            if (setting.length > 1) {
                assertThat(engines[1].getSession().getCipherSuite()).contains(setting[1].contains("ECDHE")
                        ? "ECDHE_RSA" : "TLS_RSA_WITH");
            }
            // the key stayed with the signer, which made the handshake's one private-key operation
            assertThat(signer.operations()).isEqualTo(1);
        } finally {
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(client);
        }
    }

    /** An EC key is not AWS-LC's to sign: it is handed to BoringSSL, which signs it as before. */
    @Test
    void anEcKeyIsStillSignedByBoringSsl() throws Exception {
        assumeTrue(OpenSSLEngineOptions.isAvailable() && NativeTlsSigner.provider() != null);
        Counting keys = new Counting(keyManager("ec.test"));
        TlsEngine.ServerKeyMaterial factory = (TlsEngine.ServerKeyMaterial)
                new TlsEngine.CachingOpenSslEngineOptions(true).sslContextFactory();
        SslContext server = serverContext(factory, factoryOf(keys));
        SslContext client = client(null, null);
        try {
            SSLEngine[] engines = new SSLEngine[2];
            assertThat(handshake(client, server, engines)).isEqualTo("CN=ec.test");
            assertThat(handshake(client, server)).isEqualTo("CN=ec.test");
            assertThat(factory.signer().operations()).isZero();
            assertThat(keys.privateKeyReads.get()).isEqualTo(1); // cached all the same
        } finally {
            ReferenceCountUtil.release(server);
            ReferenceCountUtil.release(client);
        }
    }

    @Test
    void everyRsaSignatureAlgorithmVerifiesAndDecryptionIsRaw() throws Exception {
        assumeTrue(NativeTlsSigner.provider() != null);
        X509KeyManager manager = keyManager("api.test");
        String alias = manager.getServerAliases("RSA", null)[0];
        X509Certificate leaf = manager.getCertificateChain(alias)[0];
        NativeTlsSigner signer = new NativeTlsSigner(NativeTlsSigner.provider());
        X509KeyManager hidden = (X509KeyManager) signer.hideRsaKeys(factoryOf(manager)).getKeyManagers()[0];
        assertThat(hidden.getPrivateKey(alias)).isNull();
        assertThat(hidden.getCertificateChain(alias)).containsExactly(manager.getCertificateChain(alias));
        assertThat(signer.holdsKeyOf(leaf)).isTrue();
        byte[] message = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
        Object[][] algorithms = {
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA256, "SHA-256", MGF1ParameterSpec.SHA256, 32},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA384, "SHA-384", MGF1ParameterSpec.SHA384, 48},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PSS_RSAE_SHA512, "SHA-512", MGF1ParameterSpec.SHA512, 64},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA256, "SHA256withRSA"},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA384, "SHA384withRSA"},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA512, "SHA512withRSA"},
            {OpenSslPrivateKeyMethod.SSL_SIGN_RSA_PKCS1_SHA1, "SHA1withRSA"},
        };
        for (Object[] a : algorithms) {
            byte[] signed = signer.sign(leaf, (Integer) a[0], message);
            Signature check;
            if (a.length > 2) { // verified by the JDK's own RSA-PSS
                check = Signature.getInstance("RSASSA-PSS");
                check.setParameter(new PSSParameterSpec((String) a[1], "MGF1", (MGF1ParameterSpec) a[2], (Integer) a[3], 1));
            } else {
                check = Signature.getInstance((String) a[1]);
            }
            check.initVerify(leaf.getPublicKey());
            check.update(message);
            assertThat(check.verify(signed)).as("algorithm 0x%x", a[0]).isTrue();
        }
        // raw RSA: the full modulus length back, leading zeros included (BoringSSL checks the padding)
        RSAPublicKey pub = (RSAPublicKey) leaf.getPublicKey();
        int size = (pub.getModulus().bitLength() + 7) / 8;
        BigInteger plain = new BigInteger(size * 8 - 16, new SecureRandom()); // two leading zero bytes
        byte[] encrypted = toSize(plain.modPow(pub.getPublicExponent(), pub.getModulus()), size);
        assertThat(signer.decrypt(leaf, encrypted)).isEqualTo(toSize(plain, size));
    }

    /** Quarkus reloads a certificate by HttpServer#updateSSLOptions: new connections get the new one. */
    @Test
    void aReloadedCertificateIsServedToNewConnections() throws Exception {
        HttpServerOptions options = new HttpServerOptions().setSsl(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(pem("api.test"));
        new TlsEngine("openssl").customizeHttpsServer(options);
        HttpServer server = vertx.createHttpServer(options).requestHandler(r -> r.response().end("ok"));
        server.listen().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        try {
            assertThat(peerOf(server.actualPort())).isEqualTo("CN=api.test");
            assertThat(peerOf(server.actualPort())).isEqualTo("CN=api.test");
            assertThat(server.updateSSLOptions(new SSLOptions().setKeyCertOptions(pem("localhost")))
                    .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(peerOf(server.actualPort())).isEqualTo("CN=localhost");
            assertThat(peerOf(server.actualPort())).isEqualTo("CN=localhost");
        } finally {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- helpers ----

    private static PemKeyCertOptions pem(String name) {
        return new PemKeyCertOptions().setCertPath(TLS.resolve(name + "-cert.pem").toString())
                .setKeyPath(TLS.resolve(name + "-key.pem").toString());
    }

    /** The key manager Vert.x hands Netty for a PEM certificate. */
    private static X509KeyManager keyManager(String name) throws Exception {
        for (KeyManager m : pem(name).getKeyManagerFactory(vertx).getKeyManagers()) {
            if (m instanceof X509KeyManager x) {
                return x;
            }
        }
        throw new AssertionError("no X509KeyManager");
    }

    private static KeyManagerFactory factoryOf(X509KeyManager manager) {
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {manager};
            }
        }, null, "test") {
        };
    }

    /** The server context as Vert.x has the engine options build it for the data port. */
    private static SslContext serverContext(SslContextFactory factory, KeyManagerFactory kmf) throws Exception {
        return factory.useAlpn(true).forClient(false).applicationProtocols(List.of("h2", "http/1.1"))
                .keyMananagerFactory(kmf).create();
    }

    private static SslContext client(String protocol, String cipher) throws Exception {
        SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE);
        if (protocol != null) {
            b.protocols(protocol);
        }
        if (cipher != null) {
            b.ciphers(List.of(cipher));
        }
        return b.build();
    }

    private static String peerOf(int port) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, InsecureTrustManagerFactory.INSTANCE.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String handshake(SslContext client, SslContext server) throws Exception {
        return handshake(client, server, new SSLEngine[2]);
    }

    /** One full handshake between two engines in memory; the server certificate's subject as the client saw it. */
    private static String handshake(SslContext clientContext, SslContext serverContext, SSLEngine[] engines) throws Exception {
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "api.test", 443);
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        engines[0] = client;
        engines[1] = server;
        ByteBuffer toServer = ByteBuffer.allocateDirect(64 * 1024);
        ByteBuffer toClient = ByteBuffer.allocateDirect(64 * 1024);
        try {
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 64; i++) {
                boolean c = step(client, toServer, toClient);
                boolean s = step(server, toClient, toServer);
                if (c && s) {
                    return ((X509Certificate) client.getSession().getPeerCertificates()[0])
                            .getSubjectX500Principal().getName();
                }
            }
            throw new AssertionError("no handshake: " + client.getHandshakeStatus() + " / " + server.getHandshakeStatus());
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(server);
        }
    }

    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws Exception {
        ByteBuffer app = ByteBuffer.allocate(64 * 1024);
        while (true) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new AssertionError("closed while wrapping");
                    }
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return false;
                    }
                }
                case NEED_UNWRAP -> {
                    in.flip();
                    SSLEngineResult r = engine.unwrap(in, app);
                    in.compact();
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new AssertionError("closed while unwrapping");
                    }
                    if (r.bytesConsumed() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                        return false;
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }

    private static byte[] toSize(BigInteger n, int size) {
        byte[] b = n.toByteArray();
        byte[] out = new byte[size];
        int copy = Math.min(b.length, size);
        System.arraycopy(b, b.length - copy, out, size - copy, copy);
        return out;
    }

    /** Counts the private-key reads of a key manager. */
    private static final class Counting extends DelegatingKeyManager {
        final AtomicInteger privateKeyReads = new AtomicInteger();

        Counting(X509KeyManager delegate) {
            super(delegate);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            privateKeyReads.incrementAndGet();
            return super.getPrivateKey(alias);
        }
    }
}
