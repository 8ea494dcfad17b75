package dev.gatehouse.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reload engine without the proxy: an app whose definition is unchanged keeps the very objects
 * compiled for it (config, route, policy); a changed one is compiled anew with the next version;
 * removed apps go, and come back with the version their definition had.
 */
class SnapshotUpdateTest {
    private final ConfigLoader loader = ConfigLoader.withEnvironment(Map.of());
    private Snapshot current = Snapshot.empty();
    private AppVersions versions = AppVersions.NONE;

    private static String doc(String wikiGroup, String idpAudience, String... more) {
        StringBuilder sb = new StringBuilder("""
                idps:
                  corp: { issuer: https://login.example.com, audience: gatehouse }
                  other: { issuer: https://other.example.com, audience: %s }
                apps:
                  - { id: wiki, host: wiki.example.com, upstream: http://10.0.0.1, idp: corp,
                      policy: { allow: { groups: { has: %s } } } }
                  - { id: shop, host: shop.example.com, upstream: http://10.0.0.2, idp: corp,
                      policy: { allow: { accept: true } } }
                  - { id: blog, host: blog.example.com, upstream: http://10.0.0.3, idp: other,
                      policy: { allow: { authenticated_user: true } } }
                """.formatted(idpAudience, wikiGroup));
        for (String app : more) {
            sb.append(app);
        }
        return sb.toString();
    }

    private SnapshotUpdate publish(String yaml) {
        GatehouseConfig config = loader.parse(yaml, "t", versions);
        SnapshotUpdate u = SnapshotUpdate.of(current, versions, config);
        current = u.snapshot();
        versions = u.versions();
        return u;
    }

    private AppRoute route(String id) {
        return current.routes().byId(id);
    }

    @Test
    void anUnchangedAppKeepsItsCompiledObjectsAndAChangedOneMovesToTheNextVersion() {
        SnapshotUpdate first = publish(doc("engineering", "gatehouse"));
        assertThat(first.added()).containsExactly("wiki", "shop", "blog");
        AppRoute wiki = route("wiki");
        AppRoute shop = route("shop");
        AppConfig shopApp = shop.app();

        SnapshotUpdate second = publish(doc("admins", "gatehouse"));
        assertThat(second.changed()).containsExactly("wiki");
        assertThat(second.added()).isEmpty();
        assertThat(second.removed()).isEmpty();
        assertThat(route("shop")).as("same route object").isSameAs(shop);
        assertThat(route("shop").app()).isSameAs(shopApp);
        assertThat(route("shop").app().policy()).isSameAs(shopApp.policy());
        assertThat(route("wiki")).isNotSameAs(wiki);
        assertThat(route("wiki").app().policy().version()).isEqualTo(2);
        assertThat(versions.version("wiki")).isEqualTo(2);
        assertThat(versions.version("shop")).isEqualTo(1);
        assertThat(current.version()).isEqualTo(2);

        publish(doc("engineering", "gatehouse"));
        assertThat(versions.version("wiki")).as("back to the first definition is still a change").isEqualTo(3);
        assertThat(route("shop")).isSameAs(shop);
    }

    @Test
    void theSameDocumentAgainChangesNothing() {
        publish(doc("engineering", "gatehouse"));
        AppRoute wiki = route("wiki");
        SnapshotUpdate again = publish("# only a comment\n" + doc("engineering", "gatehouse"));
        assertThat(again.changesApps()).isFalse();
        assertThat(route("wiki")).isSameAs(wiki);
        assertThat(versions.version("wiki")).isEqualTo(1);
    }

    @Test
    void anIdpChangeIsAChangeOfItsAppsOnly() {
        publish(doc("engineering", "gatehouse"));
        AppRoute blog = route("blog");
        AppRoute wiki = route("wiki");
        SnapshotUpdate u = publish(doc("engineering", "blog-audience"));
        assertThat(u.changed()).containsExactly("blog");
        assertThat(route("blog").tenant()).isNotEqualTo(blog.tenant());
        assertThat(route("blog").idp().audience()).isEqualTo("blog-audience");
        assertThat(versions.version("blog")).isEqualTo(2);
        assertThat(route("wiki")).isSameAs(wiki);
    }

    @Test
    void removedAppsGoAndComeBackWithTheirVersion() {
        String extra = "  - { id: extra, host: extra.example.com, upstream: http://10.0.0.4, idp: corp,"
                + " policy: { allow: { accept: true } } }\n";
        String changedExtra = extra.replace("accept: true", "authenticated_user: true");
        publish(doc("engineering", "gatehouse", extra));
        publish(doc("engineering", "gatehouse", changedExtra));
        assertThat(versions.version("extra")).isEqualTo(2);

        SnapshotUpdate removed = publish(doc("engineering", "gatehouse"));
        assertThat(removed.removed()).containsExactly("extra");
        assertThat(route("extra")).isNull();
        assertThat(current.routes().match("extra.example.com", "/")).isNull();
        assertThat(versions.version("extra")).as("not in force").isZero();

        SnapshotUpdate back = publish(doc("engineering", "gatehouse", changedExtra));
        assertThat(back.added()).containsExactly("extra");
        assertThat(versions.version("extra")).as("the same definition as when it left").isEqualTo(2);
        publish(doc("engineering", "gatehouse"));
        publish(doc("engineering", "gatehouse", extra));
        assertThat(versions.version("extra")).as("a different one").isEqualTo(3);
    }

    @Test
    void aConfigWithoutDigestsCountsEveryAppAsChanged() {
        publish(doc("engineering", "gatehouse"));
        GatehouseConfig handMade = new GatehouseConfig(current.config().idps(),
                loader.parse(doc("engineering", "gatehouse"), "t").apps(), "code");
        SnapshotUpdate u = SnapshotUpdate.of(current, versions, handMade);
        assertThat(u.changed()).containsExactly("wiki", "shop", "blog");
    }
}
