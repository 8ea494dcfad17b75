package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import io.vertx.core.http.impl.headers.Http2HeadersAdaptor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gatehouse.strip-headers}: what an entry means, and which entries stop startup; what {@code Connection} names. */
class HeaderHygieneTest {

    private static boolean allowed(HeaderHygiene h, String lowerName) {
        return h.allowedRequestHeader(lowerName, Set.of(), false);
    }

    @Test
    void entriesAreNamesOrPrefixesInAnyCase() {
        HeaderHygiene h = new HeaderHygiene(List.of(" X-Legacy-User ", "X-CORP-SSO-*"));
        assertThat(allowed(h, "x-legacy-user")).isFalse();
        assertThat(allowed(h, "x-legacy-username")).as("a name is exact").isTrue();
        assertThat(allowed(h, "x-corp-sso-subject")).isFalse();
        assertThat(allowed(h, "x-corp-ss")).isTrue();
        assertThat(allowed(h, "x-pomerium-jwt-assertion")).as("the built-in list stays").isFalse();
        assertThat(allowed(new HeaderHygiene(List.of()), "x-legacy-user")).isTrue();
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"*", "", "  ", "X Legacy", "X-Corp-*-Id", "X-Legacy:", "X-Légacy"})
    void anEntryThatIsNotAHeaderNameStopsStartup(String entry) {
        assertThatThrownBy(() -> new HeaderHygiene(List.of(entry)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("gatehouse.strip-headers");
    }

    @Test
    void connectionNamesTheSameWithOrWithoutTheFastPathForKeepAliveAndClose() {
        assertThat(HeaderHygiene.connectionNamed(MultiMap.caseInsensitiveMultiMap())).isEmpty();
        assertThat(HeaderHygiene.connectionNamed(headers("Keep-Alive"))).containsExactly("keep-alive");
        assertThat(HeaderHygiene.connectionNamed(headers("close"))).containsExactly("close");
        assertThat(HeaderHygiene.connectionNamed(headers("keep-alive, X-Secret"))).containsExactlyInAnyOrder("keep-alive", "x-secret");
        assertThat(HeaderHygiene.connectionNamed(headers("keep-alive", "X-Secret")))
                .as("a second Connection line is not skipped").containsExactlyInAnyOrder("keep-alive", "x-secret");
    }

    @Test
    void aResponseHeaderTheUpstreamNamesInConnectionIsNotRelayed() {
        MultiMap in = headers("keep-alive", "X-Hop");
        in.add("X-Hop", "1").add("Content-Type", "text/plain").add("Keep-Alive", "timeout=5");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        HeaderHygiene.copyResponseHeaders(in, out);
        assertThat(out.names()).containsExactly("Content-Type");
    }

    @Test
    void anUpstreamsDecodedHeadersAreRelayedAsTheStringPathRelaysThem() {
        // as an HTTP/1 upstream response arrives: Netty's decoder headers, names as AsciiString, behind
        // Vert.x's HeadersAdaptor; copied without making Strings of the names
        DefaultHttpHeaders decoded = new DefaultHttpHeaders();
        decoded.add(new AsciiString("Server"), "nginx")
                .add(new AsciiString("Content-Type"), "text/plain")
                .add(new AsciiString("Connection"), "keep-alive, X-Hop")
                .add(new AsciiString("X-Hop"), "1")
                .add(new AsciiString("X-REQUEST-ID"), "forged")
                .add(new AsciiString("Transfer-Encoding"), "chunked")
                .add(new AsciiString("set-cookie"), "a=1")
                .add(new AsciiString("Set-Cookie"), "b=2");
        MultiMap adapted = new HeadersAdaptor(decoded);
        MultiMap fast = MultiMap.caseInsensitiveMultiMap();
        HeaderHygiene.copyResponseHeaders(adapted, fast);

        // the same headers in a map nettyHeaders does not know (HTTP/2's, names lower-cased): the String path
        MultiMap other = new Http2HeadersAdaptor(new DefaultHttp2Headers(false));
        for (var e : adapted) {
            other.add(e.getKey(), e.getValue());
        }
        MultiMap slow = MultiMap.caseInsensitiveMultiMap();
        HeaderHygiene.copyResponseHeaders(other, slow);

        assertThat(text(fast)).containsExactly("Server=nginx", "Content-Type=text/plain", "set-cookie=a=1", "Set-Cookie=b=2");
        assertThat(text(slow)).containsExactlyInAnyOrder("server=nginx", "content-type=text/plain", "set-cookie=a=1",
                "set-cookie=b=2");
    }

    @Test
    void requestHeadersAreFilteredTheSameOnEitherPath() {
        HeaderHygiene h = new HeaderHygiene(List.of("X-Strip-Me"));
        MultiMap in = MultiMap.caseInsensitiveMultiMap(); // a server request's map: the CharSequence path
        in.add("Host", "app.example").add("Accept", "*/*").add("Authorization", "Bearer x")
                .add("X-Forwarded-For", "1.2.3.4").add("X-Strip-Me", "1").add("X_Under", "1")
                .add("Connection", "X-Named").add("X-Named", "1").add("Cookie", "a=1").add("User-Agent", "t");
        MultiMap fast = MultiMap.caseInsensitiveMultiMap();
        h.copyRequestHeaders(in, fast, false, false);
        MultiMap other = new Http2HeadersAdaptor(new DefaultHttp2Headers(false)); // the String path
        for (var e : in) {
            other.add(e.getKey(), e.getValue());
        }
        MultiMap slow = MultiMap.caseInsensitiveMultiMap();
        h.copyRequestHeaders(other, slow, false, false);
        assertThat(text(fast)).containsExactly("Accept=*/*", "Cookie=a=1", "User-Agent=t");
        assertThat(text(slow)).containsExactlyInAnyOrder("accept=*/*", "cookie=a=1", "user-agent=t");
    }

    private static List<String> text(MultiMap m) {
        return m.entries().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static MultiMap headers(String... connection) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (String c : connection) {
            m.add("Connection", c);
        }
        return m;
    }
}
