package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Slow, silent and greedy clients (slowloris): a request head is due within the head timeout of
 * the connection opening however its bytes trickle in, the next one within the keep-alive timeout
 * of the previous exchange; exchanges in flight and open WebSockets are never cut; one address
 * cannot open more than its share of connections. Nothing of a cut request reaches the upstream.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(SlowClientsTest.ShortDeadlines.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SlowClientsTest {
    static final int MAX_PER_IP = 16;

    /** Deadlines short enough to watch: head 1 s, keep-alive 2 s; 16 connections per address. */
    public static class ShortDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.connection.head-timeout", "PT1S",
                    "gatehouse.connection.keep-alive-timeout", "PT2S",
                    "gatehouse.connection.max-per-ip", Integer.toString(MAX_PER_IP));
        }
    }

    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    /**
     * Runs first, on a Gatehouse no client has sent a request to yet (this class's profile starts
     * its own): the silent connection is guarded only if the startup probe hooked the listening
     * socket, since a connection that never sends a request cannot install the hook itself.
     */
    @Test
    @Order(1)
    void aSilentConnectionIsClosedAfterTheHeadTimeout() throws Exception {
        Thread.sleep(1000); // the probe runs once the server listens: give it ample time
        double before = closedFor("head-timeout");
        try (Socket s = connect("127.0.0.1")) {
            assertThat(Http.millisUntilClosedUnanswered(s)).isBetween(700L, 5000L);
        }
        assertThat(closedFor("head-timeout")).isGreaterThan(before);
    }

    @Test
    void aTlsConnectionThatNeverHandshakesIsClosedAfterTheHeadTimeout() throws IOException {
        // the deadline runs from the TCP accept and covers the handshake (Vert.x's own TLS
        // handshake timeout is 10 s)
        int tlsPort = ConfigProvider.getConfig().getValue("quarkus.http.test-ssl-port", Integer.class);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", tlsPort), 2000);
            assertThat(Http.millisUntilClosedUnanswered(s)).isBetween(700L, 5000L);
        }
    }

    @Test
    void aTrickledHeadIsCutAtTheDeadlineThoughBytesKeepComing() throws Exception {
        try (Socket s = connect("127.0.0.1")) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: public.test\r\nX-Trickle: ".getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            s.setSoTimeout(100);
            boolean closed = false;
            // one byte every 100 ms: an idle timer would never fire, the head deadline must
            while (!closed && millisSince(start) < 8000) {
                try {
                    out.write('a');
                    out.flush();
                    closed = in.read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing answered yet: keep trickling
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("connection closed while the client kept sending").isTrue();
            assertThat(millisSince(start)).isBetween(700L, 5000L);
        }
        assertThat(upstream.hits()).as("a cut request never reaches the upstream").isZero();
    }

    @Test
    void aSlowButCompleteHeadInsideTheDeadlineIsServed() throws Exception {
        try (Socket s = connect("127.0.0.1")) {
            OutputStream out = s.getOutputStream();
            for (String piece : List.of("GET /slow-but-fine HTTP/1.1\r\n", "Host: public.test\r\n",
                    "Accept: */*\r\n", "\r\n")) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(150);
            }
            assertThat(readResponse(s)).startsWith("HTTP/1.1 200");
        }
        assertThat(upstream.hits()).isEqualTo(1);
    }

    @Test
    void aKeepAliveConnectionServesTheNextRequestThenClosesWhenIdle() throws Exception {
        double before = closedFor("keep-alive-timeout");
        try (Socket s = connect("127.0.0.1")) {
            assertThat(request(s, "/first")).startsWith("HTTP/1.1 200");
            Thread.sleep(1500); // longer than the head timeout, shorter than the keep-alive timeout
            assertThat(request(s, "/second")).as("same connection, still open").startsWith("HTTP/1.1 200");
            long idleFrom = System.nanoTime();
            s.setSoTimeout(8000);
            assertThat(s.getInputStream().read()).as("closed once idle").isEqualTo(-1);
            assertThat(millisSince(idleFrom)).isBetween(1500L, 6000L);
        }
        assertThat(upstream.hits()).isEqualTo(2);
        assertThat(closedFor("keep-alive-timeout")).isGreaterThan(before);
    }

    @Test
    void aTrickledBodyIsCutByTheAppTimeout() throws Exception {
        // slow.test has timeout: 1s; the head is complete, the body comes a byte every 100 ms
        try (Socket s = connect("127.0.0.1")) {
            OutputStream out = s.getOutputStream();
            out.write("POST /count HTTP/1.1\r\nHost: slow.test\r\nContent-Length: 1000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            s.setSoTimeout(100);
            String answer = null;
            while (answer == null && millisSince(start) < 8000) {
                try {
                    out.write('x');
                    out.flush();
                    int first = s.getInputStream().read();
                    answer = first < 0 ? "<closed>" : (char) first + new String(s.getInputStream().readNBytes(11),
                            StandardCharsets.ISO_8859_1);
                } catch (SocketTimeoutException stillWaiting) {
                    // keep trickling
                } catch (IOException reset) {
                    answer = "<reset>";
                }
            }
            assertThat(answer).as("answered while the client was still sending").isEqualTo("HTTP/1.1 504");
            assertThat(millisSince(start)).isLessThan(5000L);
        }
        assertThat(upstream.hits()).as("the upstream never saw the request complete").isZero();
    }

    @Test
    void anExchangeInFlightIsNotCutByTheDeadlines() {
        // the upstream takes 3 s to answer: longer than both deadlines
        var r = Http.get("preserve.test", "/slow", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("slow");
    }

    @Test
    void anOpenWebSocketOutlivesTheDeadlines() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                    .setURI("/ws").addHeader("Host", "api.test")
                    .addHeader("Authorization", "Bearer " + GatehouseTestResource.idp().validToken());
            WebSocket ws = vertx.createWebSocketClient().connect(o).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            Thread.sleep(3500); // silent for longer than the head and keep-alive timeouts together
            CompletableFuture<String> echoed = new CompletableFuture<>();
            ws.textMessageHandler(echoed::complete);
            ws.writeTextMessage("still here");
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("still here");
            assertThat(ws.isClosed()).isFalse();
            ws.close();
        } finally {
            vertx.close();
        }
    }

    @Test
    void connectionsOverThePerAddressCapAreRefusedUntilOneCloses() throws Exception {
        // from 127.0.0.2 (loopback too), so that no other test's connection counts against the cap
        double before = closedFor("too-many-connections");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i <= MAX_PER_IP; i++) {
                sockets.add(connect("127.0.0.2"));
            }
            Thread.sleep(200);
            List<Integer> refused = new ArrayList<>();
            for (int i = 0; i < sockets.size(); i++) {
                if (closedByServer(sockets.get(i))) {
                    refused.add(i);
                }
            }
            assertThat(refused).as("only the connection over the cap").containsExactly(MAX_PER_IP);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertThat(closedFor("too-many-connections")).isEqualTo(before + 1);
        long start = System.nanoTime();
        String answer = "";
        while (!answer.startsWith("HTTP/1.1 200") && millisSince(start) < 5000) {
            try (Socket s = connect("127.0.0.2")) {
                answer = request(s, "/after-the-cap");
            } catch (IOException refusedStill) {
                Thread.sleep(50);
            }
        }
        assertThat(answer).as("slots are given back when connections close").startsWith("HTTP/1.1 200");
    }

    private static Socket connect(String fromAddress) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(fromAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", Http.port()), 2000);
        return s;
    }

    /** True when the server has closed the connection (EOF or reset) within 20 ms. */
    private static boolean closedByServer(Socket s) throws IOException {
        s.setSoTimeout(20);
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static String request(Socket s, String path) throws IOException {
        s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: public.test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return readResponse(s);
    }

    /** Reads one response (head and a Content-Length body) from a keep-alive connection. */
    private static String readResponse(Socket s) throws IOException {
        s.setSoTimeout(5000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before a whole response: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes(length);
        return text + new String(body, StandardCharsets.ISO_8859_1);
    }

    private static double closedFor(String reason) {
        return Http.metricValue(Http.metrics(), "gatehouse_connections_closed_total{reason=\"" + reason + "\"");
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
