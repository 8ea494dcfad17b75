package dev.gatehouse.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * An HTTP/2 client that writes frames itself, so that a request can carry header bytes no client
 * library sends (control characters in values, raw spaces in {@code :path}). HPACK comes from
 * netty-codec-http2, without header validation. One request per connection, on stream 1: h2c with
 * prior knowledge ({@link #cleartext}) or TLS with ALPN {@code h2} ({@link #tls}).
 */
public final class RawH2 implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0;
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int CONTINUATION = 0x9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int ACK = 0x1;

    /**
     * What came back for the request: the response head and body, or how it ended without one.
     * {@code status} is -1 when no response head arrived.
     */
    public record Answer(int status, Http2Headers headers, String body, boolean reset, boolean goAway,
                         boolean closed, boolean timedOut) {
        public String header(String name) {
            CharSequence v = headers == null ? null : headers.get(name);
            return v == null ? null : v.toString();
        }

        /** Ended by the server without hanging: an answer, a reset, a GOAWAY or a closed connection. */
        public boolean settled() {
            return !timedOut;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder =
            new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    private RawH2(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    /** h2c with prior knowledge on the data port. */
    public static RawH2 cleartext() throws IOException {
        return new RawH2(new Socket("127.0.0.1", Http.port()));
    }

    /**
     * HTTP/1.1 {@code Upgrade: h2c} on the data port: {@code GET /} for {@code host} is stream 1 (its
     * answer is skipped); then {@link #exchangeOnStream3} sends a request on the upgraded connection.
     */
    public static RawH2 upgraded(String host) throws IOException {
        Socket s = new Socket("127.0.0.1", Http.port());
        s.setSoTimeout(5000);
        s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABk\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = s.getInputStream().read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            s.close();
            throw new IOException("no upgrade: " + head);
        }
        return new RawH2(s);
    }

    /** Sends the request on stream 3 (after an upgrade, stream 1 is the upgrade's) and reads its answer. */
    public Answer exchangeOnStream3(Http2Headers headers) throws IOException {
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(3, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            frame(HEADERS, END_HEADERS | END_STREAM, 3, bytes);
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            block.release();
        }
        out.flush();
        return read(3);
    }

    /**
     * A connection to the Gatehouse under test: over TLS (ALPN h2) to its test TLS port, or prior
     * knowledge in clear text to its data port.
     */
    public static RawH2 toGatehouse(boolean tls) throws Exception {
        return tls ? tls(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.http.test-ssl-port", Integer.class)) : cleartext();
    }

    /** TLS on {@code port} (trusting any certificate), ALPN {@code h2}. */
    public static RawH2 tls(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2"});
        s.setSSLParameters(p);
        s.startHandshake();
        if (!"h2".equals(s.getApplicationProtocol())) {
            s.close();
            throw new IllegalStateException("ALPN did not select h2: " + s.getApplicationProtocol());
        }
        return new RawH2(s);
    }

    /** Request headers, pseudo-headers included, with no validation of names or values. */
    public static Http2Headers headers(String method, String authority, String path) {
        return new DefaultHttp2Headers(false).method(method).scheme("http").authority(authority).path(path);
    }

    /** Sends the request (with {@code body} in one DATA frame when not null) and reads what comes back. */
    public Answer exchange(Http2Headers headers, byte[] body) throws IOException {
        ByteBuf block = Unpooled.buffer();
        try {
            encoder.encodeHeaders(1, headers, block);
            byte[] bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
            frame(HEADERS, END_HEADERS | (body == null ? END_STREAM : 0), 1, bytes);
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            block.release();
        }
        if (body != null) {
            frame(DATA, END_STREAM, 1, body);
        }
        out.flush();
        return read();
    }

    /**
     * Sends the same request head on {@code count} streams (1, 3, 5, ...) in one burst and reads
     * nothing: the caller then closes, as a client that gives up at once.
     */
    public void sendWithoutReading(Http2Headers headers, int count) throws IOException {
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            ByteBuf block = Unpooled.buffer();
            try {
                encoder.encodeHeaders(2 * i + 1, headers, block);
                byte[] bytes = new byte[block.readableBytes()];
                block.readBytes(bytes);
                int n = bytes.length;
                int stream = 2 * i + 1;
                burst.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) HEADERS,
                    (byte) (END_HEADERS | END_STREAM), (byte) (stream >>> 24), (byte) (stream >>> 16),
                    (byte) (stream >>> 8), (byte) stream});
                burst.write(bytes);
            } catch (Exception e) {
                throw new IOException(e);
            } finally {
                block.release();
            }
        }
        out.write(burst.toByteArray());
        out.flush();
        socket.setSoLinger(true, 0); // the close that follows resets the connection
    }

    private Answer read() throws IOException {
        return read(1);
    }

    private Answer read(int want) throws IOException {
        Http2Headers head = null;
        ByteArrayOutputStream headBlock = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            while (true) {
                int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7fffffff;
                byte[] payload = new byte[length];
                in.readFully(payload);
                switch (type) {
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            frame(SETTINGS, ACK, 0, new byte[0]);
                            out.flush();
                        }
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            frame(PING, ACK, 0, payload);
                            out.flush();
                        }
                    }
                    case GOAWAY -> {
                        return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false, true,
                                false, false);
                    }
                    case RST_STREAM -> {
                        if (stream == want) {
                            return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), true,
                                    false, false, false);
                        }
                    }
                    case HEADERS, CONTINUATION -> {
                        // every block is decoded, whatever its stream: HPACK's table is the connection's
                        if (headBlock == null) {
                            headBlock = new ByteArrayOutputStream();
                        }
                        headBlock.write(payload, type == HEADERS ? headerBlockStart(flags, payload) : 0,
                                payload.length - (type == HEADERS ? headerBlockStart(flags, payload)
                                        + padding(flags, payload) : 0));
                        if ((flags & END_HEADERS) != 0) {
                            Http2Headers decoded = decode(headBlock.toByteArray());
                            headBlock = null;
                            if (head == null && stream == want) {
                                head = decoded; // a second block would be trailers
                            }
                        }
                        if (stream == want && (flags & END_STREAM) != 0) {
                            return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false,
                                    false, false, false);
                        }
                    }
                    case DATA -> {
                        if (stream == want) {
                            int pad = (flags & 0x8) != 0 ? (payload[0] & 0xff) + 1 : 0;
                            body.write(payload, (flags & 0x8) != 0 ? 1 : 0, payload.length - pad);
                            if ((flags & END_STREAM) != 0) {
                                return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false,
                                        false, false, false);
                            }
                        }
                    }
                    default -> {
                        // WINDOW_UPDATE, PRIORITY: nothing to do for one small exchange
                    }
                }
            }
        } catch (EOFException e) {
            return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false, false, true, false);
        } catch (SocketTimeoutException e) {
            return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false, false, false, true);
        } catch (IOException e) {
            // reset by the server
            return new Answer(status(head), head, body.toString(StandardCharsets.UTF_8), false, false, true, false);
        }
    }

    private static int headerBlockStart(int flags, byte[] payload) {
        int start = (flags & 0x8) != 0 ? 1 : 0; // PADDED
        return (flags & 0x20) != 0 ? start + 5 : start; // PRIORITY
    }

    private static int padding(int flags, byte[] payload) {
        return (flags & 0x8) != 0 ? (payload[0] & 0xff) : 0;
    }

    private Http2Headers decode(byte[] block) throws IOException {
        ByteBuf buf = Unpooled.wrappedBuffer(block);
        try {
            return decoder.decodeHeaders(1, buf);
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            buf.release();
        }
    }

    private static int status(Http2Headers head) {
        return head == null || head.status() == null ? -1 : Integer.parseInt(head.status().toString());
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        int n = payload.length;
        out.write(new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n, (byte) type, (byte) flags,
            (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.write(payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
