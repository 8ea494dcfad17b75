package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cookie names, attributes, the hot-path scan and what is kept from the upstream. */
class SessionCookiesTest {
    final SessionCookies cookies = new SessionCookies(".Corp.Example");

    @Test
    void hostsUnderTheDomainShareTheCookieOthersAreHostOnly() {
        assertThat(cookies.nameFor("wiki.corp.example")).isEqualTo("gatehouse_session");
        assertThat(cookies.nameFor("corp.example")).isEqualTo("gatehouse_session");
        assertThat(cookies.nameFor("evilcorp.example")).isEqualTo("__Host-gatehouse_session");
        assertThat(cookies.nameFor("app.other.example")).isEqualTo("__Host-gatehouse_session");
        assertThat(cookies.session("wiki.corp.example", "h", 60))
                .isEqualTo("gatehouse_session=h; Domain=corp.example; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=60");
        assertThat(cookies.session("app.other.example", "h", 60))
                .isEqualTo("__Host-gatehouse_session=h; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=60");
        assertThat(new SessionCookies(null).nameFor("wiki.corp.example")).isEqualTo("__Host-gatehouse_session");
    }

    @Test
    void findsTheExactCookieOnly() {
        String h = "a=1; xgatehouse_session=no; gatehouse_session=yes;b=2";
        assertThat(SessionCookies.find(h, "gatehouse_session")).isEqualTo("yes");
        assertThat(SessionCookies.find("gatehouse_sessionx=1", "gatehouse_session")).isNull();
        assertThat(SessionCookies.find("gatehouse_session", "gatehouse_session")).isNull();
        assertThat(SessionCookies.find((String) null, "gatehouse_session")).isNull();
        assertThat(SessionCookies.find(List.of("a=1", "gatehouse_session=two"), "gatehouse_session")).isEqualTo("two");
    }

    @Test
    void theUpstreamKeepsItsOwnCookiesOnly() {
        assertThat(SessionCookies.withoutOurs("a=1; gatehouse_session=x; __Host-gatehouse_session=y; "
                + "__Host-gatehouse_login_abc=z; b=2")).isEqualTo("a=1; b=2");
        assertThat(SessionCookies.withoutOurs("gatehouse_session=x")).isNull();
        String untouched = "a=1; b=2";
        assertThat(SessionCookies.withoutOurs(untouched)).isSameAs(untouched);
    }

    @Test
    void aHandleFitsTheLimit() {
        String handle = Secrets.random(32);
        assertThat(handle).hasSize(43);
        assertThat(cookies.session("wiki.corp.example", handle, 43_200).indexOf(';')).isLessThan(256);
    }
}
