package dev.gatehouse.gateway.connection;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Vertx;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full TLS handshake (TLS 1.3, X25519, RSA 2048 certificate, no resumption) between two
 * BoringSSL engines in memory: no sockets, no HTTP. The server context is built the way Vert.x
 * builds the data port's, from the KeyManagerFactory of a {@link PemKeyCertOptions}, by Vert.x's own
 * OpenSSL factory ({@code vertx}) or by {@link TlsEngine}'s: {@code cached} (key material parsed once
 * per context, BoringSSL signs) and {@code native} (that, and AWS-LC signs: what Gatehouse runs where
 * AWS-LC loads). The client's part (its key share, the signature check) is the same in all three, so
 * the differences are what the server saves per handshake.
 *
 * <pre>./mvnw -B -Pjmh package exec:exec -Djmh.args="TlsHandshakeBenchmark -f 1 -wi 5 -i 5"</pre>
 *
 * <p>On a shared machine the wall-clock figures of JMH swing with the other load; {@link #main}
 * measures the thread's CPU time instead, both variants in one JVM, in alternating batches:
 * <pre>java -cp target/classes:$(cat cp.txt) dev.gatehouse.gateway.connection.TlsHandshakeBenchmark [rounds] [batch]</pre>
 * (cp.txt from {@code ./mvnw -B -Pjmh dependency:build-classpath -Dmdep.outputFile=cp.txt}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TlsHandshakeBenchmark {
    @Param({"vertx", "cached", "native"})
    public String server;

    private Vertx vertx;
    private SslContext serverContext;
    private SslContext clientContext;
    private final ByteBuffer toServer = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer toClient = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer app = ByteBuffer.allocateDirect(64 * 1024);
    private final ByteBuffer empty = ByteBuffer.allocateDirect(0);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        vertx = Vertx.vertx();
        Path tls = Path.of("src/test/resources/tls");
        KeyManagerFactory kmf = new PemKeyCertOptions()
                .setCertPath(tls.resolve("api.test-cert.pem").toString())
                .setKeyPath(tls.resolve("api.test-key.pem").toString())
                .getKeyManagerFactory(vertx);
        OpenSSLEngineOptions engine = server.equals("vertx") ? new OpenSSLEngineOptions()
                : new TlsEngine.CachingOpenSslEngineOptions(server.equals("native"));
        SslContextFactory factory = engine.sslContextFactory().forClient(false).useAlpn(true)
                .applicationProtocols(List.of("h2", "http/1.1")).keyMananagerFactory(kmf);
        serverContext = factory.create();
        clientContext = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ReferenceCountUtil.release(serverContext);
        ReferenceCountUtil.release(clientContext);
        vertx.close();
    }

    @Benchmark
    public String handshake() throws SSLException {
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT, "api.test", 443);
        SSLEngine srv = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        try {
            toServer.clear();
            toClient.clear();
            client.beginHandshake();
            srv.beginHandshake();
            for (int i = 0; i < 64; i++) {
                boolean c = step(client, toServer, toClient);
                boolean s = step(srv, toClient, toServer);
                if (c && s) {
                    return srv.getSession().getCipherSuite();
                }
            }
            throw new IllegalStateException("handshake did not finish: " + client.getHandshakeStatus()
                    + " / " + srv.getHandshakeStatus());
        } finally {
            ReferenceCountUtil.release(client);
            ReferenceCountUtil.release(srv);
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String[] names = {"vertx", "cached", "native"};
        TlsHandshakeBenchmark[] benches = new TlsHandshakeBenchmark[names.length];
        for (int i = 0; i < names.length; i++) {
            benches[i] = new TlsHandshakeBenchmark();
            benches[i].server = names[i];
            benches[i].setUp();
        }
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[][] us = new double[names.length][rounds];
        for (int r = -3; r < rounds; r++) { // three unrecorded rounds: the JIT
            for (int i = 0; i < names.length; i++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int n = 0; n < batch; n++) {
                    benches[i].handshake();
                }
                if (r >= 0) {
                    us[i][r] = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / batch;
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            double[] v = us[i].clone();
            java.util.Arrays.sort(v);
            System.out.printf("%-7s CPU per handshake (client and server): median %.0f us, min %.0f, max %.0f (%d x %d)%n",
                    names[i], v[v.length / 2], v[0], v[v.length - 1], rounds, batch);
            benches[i].tearDown();
        }
    }

    /** Advances one engine as far as it can go; true when its handshake is over. */
    private boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in) throws SSLException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                    }
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = engine.wrap(empty, out);
                    if (r.bytesProduced() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
                        return false;
                    }
                }
                case NEED_UNWRAP -> {
                    in.flip();
                    app.clear();
                    SSLEngineResult r = engine.unwrap(in, app);
                    in.compact();
                    if (r.bytesConsumed() == 0 && r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
                        return false; // waits for the peer
                    }
                }
                default -> {
                    return true;
                }
            }
        }
    }
}
