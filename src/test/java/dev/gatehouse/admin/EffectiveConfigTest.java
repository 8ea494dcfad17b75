package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.Actor;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppWrite;
import dev.gatehouse.store.AuditLog;
import dev.gatehouse.store.Database;
import dev.gatehouse.store.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the file's apps and the store's meet in one snapshot: the file wins on ids and routes, a
 * stored app that no longer validates is left out, the admin host is no app's, and a late publish
 * of an older version never undoes a newer one.
 */
class EffectiveConfigTest {
    SnapshotHolder holder;
    SimpleMeterRegistry meters;
    AppStore store;
    EffectiveConfig effective;

    static final String IDPS = "idps:\n  corp: {issuer: https://login.example.com, audience: gatehouse}\n";

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Migrations.migrate(ds);
        Database db = new Database(ds, Database.H2);
        store = new AppStore(db, new AuditLog(db, Clock.systemUTC()));
        holder = new SnapshotHolder();
        meters = new SimpleMeterRegistry();
        effective = new EffectiveConfig(holder, new ConfigMetrics(meters), store, "admin.localhost");
    }

    static ConfigLoader.Loaded file(String apps) {
        return new ConfigLoader().parseWithDocuments(IDPS + "apps:\n" + apps, "test.yaml");
    }

    static String app(String id, String host) {
        return "  - {id: " + id + ", host: " + host + ", upstream: http://10.0.0.1, idp: corp, policy: {allow: {accept: true}}}\n";
    }

    void stored(String id, String host, String idp) {
        String doc = "{\"host\":\"" + host + "\",\"id\":\"" + id + "\",\"idp\":\"" + idp + "\",\"policy\":{\"allow\":"
                + "{\"accept\":true}},\"upstream\":\"http://10.0.0.2\"}";
        store.write(new AppWrite(AppWrite.Kind.CREATE, id, null, doc, host + " /", null, null, new Actor("a", "corp"),
                null, "r"));
    }

    @Test
    void fileAndStoreAppsMakeOneSnapshotWithTheirVersions() {
        stored("api-one", "one.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        assertThat(holder.current().routes().match("one.test", "/").id()).isEqualTo("api-one");
        assertThat(holder.current().routes().match("wiki.test", "/").id()).isEqualTo("wiki");
        assertThat(effective.fileDocument("wiki")).isNotNull();
        assertThat(meters.find("gatehouse.policy.version").tag("app", "api-one").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void theFileWinsAndInvalidStoredAppsAreLeftOut() {
        stored("wiki", "stored-wiki.test", "corp");
        stored("squatter", "wiki.test", "corp");
        stored("orphan", "orphan.test", "gone-idp");
        stored("fine", "fine.test", "corp");
        effective.start(file(app("wiki", "wiki.test")));
        assertThat(holder.current().routes().match("stored-wiki.test", "/")).as("file id wins").isNull();
        assertThat(holder.current().routes().match("wiki.test", "/").id()).as("file route wins").isEqualTo("wiki");
        assertThat(holder.current().routes().match("orphan.test", "/")).as("IdP gone").isNull();
        assertThat(holder.current().routes().match("fine.test", "/").id()).isEqualTo("fine");
        assertThat(effective.apiAppCount()).isEqualTo(1);
    }

    @Test
    void noFileAppMayClaimTheAdminHost() {
        assertThatThrownBy(() -> effective.start(file(app("wiki", "wiki.test") + app("admin", "Admin.Localhost"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("apps[1].host");
    }

    @Test
    void anOlderVersionPublishedLateChangesNothing() {
        effective.start(file(app("wiki", "wiki.test")));
        stored("late", "late.test", "corp");
        var v1 = store.latest("late").orElseThrow();
        String doc2 = v1.document().replace("late.test", "late2.test");
        var v2 = store.write(new AppWrite(AppWrite.Kind.REPLACE, "late", 1L, doc2, "late2.test /", null, null,
                new Actor("a", "corp"), null, "r")).written();
        effective.applied(v2);
        effective.applied(v1);
        assertThat(holder.current().routes().match("late2.test", "/").id()).isEqualTo("late");
        assertThat(holder.current().routes().match("late.test", "/")).isNull();
    }
}
