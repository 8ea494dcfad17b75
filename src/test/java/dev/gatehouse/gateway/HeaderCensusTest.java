package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

/**
 * The one-pass header census behind {@link RequestValidator}: the counted fields in any case, the
 * first Transfer-Encoding value, and the first malformed name or value, as the five look-ups and
 * the field walk it replaced found them.
 */
class HeaderCensusTest {

    private static MultiMap headers(String... nameValues) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < nameValues.length; i += 2) {
            m.add(nameValues[i], nameValues[i + 1]);
        }
        return m;
    }

    @Test
    void countsTheSingleUseFieldsInAnyCase() {
        HeaderCensus c = HeaderCensus.of(headers("Host", "a.test", "HOST", "b.test", "authorization", "Bearer x",
                "Content-Length", "3", "content-LENGTH", "4", "Transfer-Encoding", " Chunked ",
                "transfer-encoding", "gzip", "Hostx", "not counted", "X-Authorization", "not counted"));
        assertThat(c.hosts).isEqualTo(2);
        assertThat(c.authorizations).isEqualTo(1);
        assertThat(c.contentLengths).isEqualTo(2);
        assertThat(c.transferEncodings).isEqualTo(2);
        assertThat(c.transferEncoding.toString()).isEqualTo(" Chunked ");
        assertThat(c.badField).isNull();
    }

    @Test
    void aCleanHeadHasNoBadField() {
        HeaderCensus c = HeaderCensus.of(headers("Host", "a.test", "X-Tab", "a\tb", "X-Latin", "caf\u00e9",
                "!#$%&'*+-.^_`|~09azAZ", "token characters"));
        assertThat(c.badField).isNull();
        assertThat(c.hosts).isEqualTo(1);
        assertThat(c.transferEncoding).isNull();
    }

    @Test
    void namesThatAreNotTokensAreRefused() {
        for (String name : new String[] {"", "X Space", "X:Colon", "X(", "X\"", "X\u00e9", "X/"}) {
            assertThat(HeaderCensus.of(headers("Host", "a.test", name, "v")).badField).as(name)
                    .isEqualTo(HeaderCensus.BAD_NAME);
        }
    }

    @Test
    void controlCharactersInValuesAreRefusedButTab() {
        for (char c : new char[] {0, 1, '\n', '\r', 0x1f, 0x7f}) {
            assertThat(HeaderCensus.of(headers("Host", "a.test", "X-V", "a" + c + "b")).badField)
                    .as("U+%04X", (int) c).isEqualTo(HeaderCensus.BAD_VALUE);
        }
    }

    @Test
    void theFirstMalformedFieldIsTheOneReported() {
        HeaderCensus c = HeaderCensus.of(headers("X-V", "a\u0001", "Bad Name", "v"));
        assertThat(c.badField).isEqualTo(HeaderCensus.BAD_VALUE);
        c = HeaderCensus.of(headers("Bad Name", "v", "X-V", "a\u0001"));
        assertThat(c.badField).isEqualTo(HeaderCensus.BAD_NAME);
    }

    @Test
    void onlyAnAuthorizationEqualToTheCheckedOneSkipsTheScan() {
        String checked = "Bearer abc.def.ghi";
        assertThat(HeaderCensus.of(headers("Host", "a.test", "Authorization", checked), checked).badField).isNull();
        assertThat(HeaderCensus.of(headers("Host", "a.test", "Authorization", checked + "\u0001"), checked).badField)
                .isEqualTo(HeaderCensus.BAD_VALUE);
        assertThat(HeaderCensus.of(headers("Host", "a.test", "Authorization", "Bearer abc.def.gh\u0001"), checked)
                .badField).isEqualTo(HeaderCensus.BAD_VALUE);
        // another field with the same value is scanned as ever, and the count is kept
        HeaderCensus c = HeaderCensus.of(headers("Authorization", checked, "X-Copy", "a\u0001",
                "authorization", checked), checked);
        assertThat(c.badField).isEqualTo(HeaderCensus.BAD_VALUE);
        assertThat(c.authorizations).isEqualTo(2);
    }
}
