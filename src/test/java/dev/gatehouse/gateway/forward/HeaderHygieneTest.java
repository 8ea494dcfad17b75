package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.core.MultiMap;
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

    private static MultiMap headers(String... connection) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (String c : connection) {
            m.add("Connection", c);
        }
        return m;
    }
}
