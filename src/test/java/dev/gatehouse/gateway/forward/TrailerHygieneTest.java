package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersAdaptor;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which upstream trailer fields reach the client, and what the {@code Trailer} header may announce. */
class TrailerHygieneTest {
    private final HeaderHygiene hygiene = new HeaderHygiene(List.of("X-Legacy-User", "X-Corp-Sso-*"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"x-checksum", "server-timing", "grpc-status", "grpc-message", "digest", "etag"})
    void metadataAboutTheContentPasses(String name) {
        assertThat(TrailerHygiene.allowed(name, Set.of(), hygiene)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        // RFC 9110 section 6.5.1: framing, routing, modifiers, authentication, control data, content processing
        "content-length", "transfer-encoding", "host", "authorization", "cookie", "set-cookie", "cache-control",
        "content-type", "content-encoding", "content-range", "expect", "max-forwards", "te", "trailer", "location",
        "www-authenticate", "vary", "age", "date", "expires", "retry-after", "range", "if-match",
        // hop-by-hop
        "connection", "keep-alive", "upgrade", "proxy-authenticate",
        // Gatehouse's own and identity headers the contract strips from requests, and strip-headers
        "x-request-id", "x-gatehouse-user", "x-gatehouse-assertion", "x-forwarded-user", "x-forwarded-for",
        "x-auth-request-email", "remote-user", "x-pomerium-jwt-assertion", "x-legacy-user", "x-corp-sso-subject",
        "x_checksum"})
    void forbiddenAndIdentityFieldsDoNot(String name) {
        assertThat(TrailerHygiene.allowed(name, Set.of(), hygiene)).isFalse();
    }

    @Test
    void aFieldTheUpstreamNamesInConnectionDoesNot() {
        assertThat(TrailerHygiene.allowed("x-hop", Set.of("x-hop"), hygiene)).isFalse();
    }

    @Test
    void copyKeepsNamesValuesAndOrderOfWhatPasses() {
        DefaultHttpHeaders decoded = new DefaultHttpHeaders();
        decoded.add(new AsciiString("X-Checksum"), "a").add(new AsciiString("Set-Cookie"), "s=1")
                .add(new AsciiString("X-Hop"), "1").add(new AsciiString("grpc-status"), "0")
                .add(new AsciiString("X-Gatehouse-User"), "mallory").add(new AsciiString("X-Checksum"), "b");
        MultiMap upstreamHeaders = MultiMap.caseInsensitiveMultiMap().add("Connection", "keep-alive, X-Hop");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        TrailerHygiene.copy(new HeadersAdaptor(decoded), upstreamHeaders, out, hygiene);
        assertThat(out.entries()).extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("X-Checksum=a", "grpc-status=0", "X-Checksum=b");
    }

    @Test
    void theAnnouncementNamesOnlyWhatMayFollow() {
        assertThat(TrailerHygiene.announced("X-Checksum, Set-Cookie,Server-Timing , X-Gatehouse-User", Set.of(), hygiene))
                .isEqualTo("X-Checksum, Server-Timing");
        assertThat(TrailerHygiene.announced("Set-Cookie, X-Forwarded-User", Set.of(), hygiene)).isNull();
        assertThat(TrailerHygiene.announced(" , ,", Set.of(), hygiene)).isNull();
        assertThat(TrailerHygiene.announced("X Bad, X-Ok", Set.of(), hygiene)).as("not a field name").isEqualTo("X-Ok");
    }

    @Test
    void theResponseCopyHandsBackTheTrailerHeaderInsteadOfCopyingIt() {
        DefaultHttpHeaders decoded = new DefaultHttpHeaders();
        decoded.add(new AsciiString("Content-Type"), "text/plain").add(new AsciiString("Trailer"), "X-Checksum")
                .add(new AsciiString("trailer"), "Grpc-Status");
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        assertThat(HeaderHygiene.copyResponseHeaders(new HeadersAdaptor(decoded), out).toString())
                .isEqualTo("X-Checksum, Grpc-Status");
        assertThat(out.names()).containsExactly("Content-Type");
        MultiMap plain = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
        assertThat(HeaderHygiene.copyResponseHeaders(plain, MultiMap.caseInsensitiveMultiMap())).isNull();
    }
}
