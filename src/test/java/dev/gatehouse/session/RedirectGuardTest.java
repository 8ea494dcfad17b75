package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open-redirect corpus: tricks that browsers, URL parsers and proxies have disagreed on. None
 * may leave the hosts Gatehouse serves; the allowed forms come back rebuilt, exactly.
 */
class RedirectGuardTest {
    static final String ORIGIN = "https://wiki.corp.example";
    final RedirectGuard guard = new RedirectGuard(Set.of("wiki.corp.example", "crm.corp.example",
            "admin.corp.example")::contains);

    @ParameterizedTest
    @ValueSource(strings = {
            "//evil.example", "//evil.example/", "///evil.example", "////evil.example",
            "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "\\/evil.example",
            "https:evil.example", "https:/evil.example", "http:evil.example", "https:///evil.example",
            "/\t/evil.example", "/ /evil.example", "\t//evil.example", " //evil.example",
            "/\n/evil.example", "/\r\n/evil.example", "%0d%0aLocation:%20https://evil.example",
            "/x\r\nSet-Cookie: a=b",
            "https://wiki.corp.example@evil.example", "https://wiki.corp.example:443@evil.example/",
            "https://user:pass@wiki.corp.example/", "https://evil.example#@wiki.corp.example",
            "https://evil.example?@wiki.corp.example", "https://evil.example\\@wiki.corp.example",
            "https://evil.example/wiki.corp.example", "https://wiki.corp.example.evil.example/",
            "https://evilwiki.corp.example/", "https://wiki.corp.example./", "https://WIKI.corp.example.evil.example",
            "https://wіki.corp.example/", "https://xn--wki-3kc.corp.example/", "https://wiki。corp.example/",
            "https://%77iki.corp.example/", "https://wiki%2ecorp.example/", "https://evil.example%2f@wiki.corp.example",
            "%2f%2fevil.example", "%252f%252fevil.example",
            "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
            "vbscript:x", "ftp://wiki.corp.example/", "file:///etc/passwd",
            "https://[::1]/", "https://127.0.0.1/", "https://evil.example:443", "ht tps://wiki.corp.example/",
            "https://wiki.corp.example\u0000.evil.example/", "//wiki.corp.example/", "",
            "https://wiki.corp.example:99999999999/", "evil.example", "./evil"
    })
    void noTrickEscapes(String rd) {
        String out = guard.check(rd, ORIGIN);
        if (out != null) {
            // whatever is accepted must point at a served host, nothing else
            assertThat(RedirectGuard.hostOf(out)).isIn("wiki.corp.example", "crm.corp.example", "admin.corp.example");
            assertThat(out).doesNotContain("@").doesNotContain("\\").doesNotContain("evil");
        }
        assertThat(out).as(rd).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/docs/page?x=1&y=%C3%A9", "/a/b/c", "/?q=//evil.example"})
    void pathsStayOnTheCurrentHost(String rd) {
        assertThat(guard.check(rd, ORIGIN)).isEqualTo(ORIGIN + rd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://crm.corp.example/deals?id=7", "http://crm.corp.example:8080/",
            "https://admin.corp.example/api/v1/apps"})
    void servedHostsAreAllowed(String rd) {
        assertThat(guard.check(rd, ORIGIN)).isEqualTo(rd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%09/evil.example", "/%2f/evil.example", "/%252f%252fevil.example", "/%5c/evil.example"})
    void encodedTricksInAPathStayPathsOnThisHost(String rd) {
        // still encoded in the absolute URL Gatehouse sends: a browser reads a path on this host
        assertThat(guard.check(rd, ORIGIN)).isEqualTo(ORIGIN + rd);
    }

    @org.junit.jupiter.api.Test
    void caseIsFoldedAndTheFragmentDropped() {
        assertThat(guard.check("HTTPS://CRM.Corp.Example/Deals#top", ORIGIN)).isEqualTo("https://crm.corp.example/Deals");
        assertThat(guard.check("https://crm.corp.example", ORIGIN)).isEqualTo("https://crm.corp.example/");
        assertThat(guard.check("/" + "a".repeat(3000), ORIGIN)).as("too long").isNull();
    }
}
