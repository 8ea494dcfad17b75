package dev.gatehouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Requests against the running Gatehouse: JDK HttpClient with any Host header (the surefire config
 * allows restricted headers), and raw sockets for requests no client library would send.
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    public static int port() {
        return ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
    }

    public static int managementPort() {
        return ConfigProvider.getConfig().getValue("quarkus.management.port", Integer.class);
    }

    /** A request builder for {@code path} on virtual host {@code host}. */
    public static HttpRequest.Builder to(String host, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .header("Host", host).timeout(Duration.ofSeconds(20));
    }

    public static HttpResponse<String> send(HttpRequest request) {
        return send(CLIENT, request);
    }

    /** Sends with this client; an I/O failure is unchecked, an interrupt restored. */
    static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static HttpResponse<String> get(String host, String path, String token) {
        HttpRequest.Builder b = to(host, path);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    /**
     * Sends raw bytes on a fresh connection and returns everything the server answers until it
     * closes the connection or 3 s pass.
     */
    public static String raw(String request) {
        try (Socket s = new Socket("127.0.0.1", port())) {
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (java.net.SocketTimeoutException e) {
                sb.append("\n<<timeout: connection still open>>");
            }
            return sb.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The Prometheus text of the management port's {@code /q/metrics}. */
    public static String metrics() {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + "/q/metrics"))
                .build()).body();
    }

    /** The sum of every series in {@code metrics} that starts with {@code seriesPrefix} (0 if none). */
    public static double metricValue(String metrics, String seriesPrefix) {
        Matcher m = Pattern.compile(
                "(?m)^" + Pattern.quote(seriesPrefix) + "[^\\n]*\\} ([0-9.E+-]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /**
     * Sends nothing on {@code s} and waits (up to 8 s) for the server to close it; fails if it answers
     * anything first. Returns how long the server took, in milliseconds.
     */
    public static long millisUntilClosedUnanswered(Socket s) throws IOException {
        s.setSoTimeout(8000);
        long start = System.nanoTime();
        int first = s.getInputStream().read();
        if (first != -1) {
            throw new AssertionError("the server answered instead of closing: " + (char) first);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
