package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * LISTEN/NOTIFY between two "replicas" (two instances) on a real PostgreSQL: a notice reaches both,
 * the sender included, by topic; a killed listening connection comes back and says so, so the
 * subscribers can re-read what they may have missed.
 */
class PgClusterEventsTest {

    private static PgClusterEvents events(Database db, String url) {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", PgClusterEvents.APPLICATION_NAME);
        return new PgClusterEvents(db, () -> DriverManager.getConnection(url, props)).start();
    }

    private static void awaitListening(PgClusterEvents e) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!e.listening()) {
            assertThat(System.nanoTime()).as("listening").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aNoticeReachesEveryReplicaByTopicAndSurvivesAKilledConnection() throws Exception {
        DataSource ds = Postgres.freshDatabase();
        String url = "jdbc:postgresql://localhost:" + Postgres.server().getPort() + "/"
                + ds.getConnection().getCatalog();
        Database db = new Database(ds, Database.POSTGRES);
        BlockingQueue<String> atA = new LinkedBlockingQueue<>();
        BlockingQueue<String> atB = new LinkedBlockingQueue<>();
        BlockingQueue<String> sessionsAtB = new LinkedBlockingQueue<>();
        AtomicInteger reconnectsOfB = new AtomicInteger();
        try (PgClusterEvents a = events(db, url); PgClusterEvents b = events(db, url)) {
            a.subscribe("app", atA::add);
            b.subscribe("app", atB::add);
            b.subscribe("session", sessionsAtB::add);
            b.onReconnect(reconnectsOfB::incrementAndGet);
            awaitListening(a);
            awaitListening(b);

            a.publish("app", "wiki");
            assertThat(atA.poll(10, TimeUnit.SECONDS)).as("the sender hears its own notice").isEqualTo("wiki");
            assertThat(atB.poll(10, TimeUnit.SECONDS)).isEqualTo("wiki");
            assertThat(sessionsAtB).isEmpty();

            int before = reconnectsOfB.get();
            try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                         + "application_name = '" + PgClusterEvents.APPLICATION_NAME + "' AND datname = current_database()")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (reconnectsOfB.get() == before || !b.listening()) {
                assertThat(System.nanoTime()).as("B listens again and says so").isLessThan(deadline);
                Thread.sleep(10);
            }
            awaitListening(a);
            a.publish("session", "s-1");
            assertThat(sessionsAtB.poll(10, TimeUnit.SECONDS)).isEqualTo("s-1");
        }
    }
}
