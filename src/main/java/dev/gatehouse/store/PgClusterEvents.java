package dev.gatehouse.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * {@link ClusterEvents} over PostgreSQL's LISTEN/NOTIFY. A notice is sent with {@code pg_notify}
 * in a transaction of its own after the caller's has committed (so no replica hears of a change it
 * cannot read yet). Notices are received on one dedicated, long-lived connection outside the pool
 * (a pooled connection may be handed out or recycled; a LISTEN must stay on one session), on a
 * daemon thread that reconnects with backoff (250 ms doubling to 5 s) when it drops. After every
 * (re)connect the {@link #onReconnect} callbacks run, since notices sent meanwhile are gone.
 * Handlers run on one worker thread of their own, in the order notices arrived, never on the
 * listening thread (a slow handler must not delay the next notice) nor on an event loop.
 *
 * <p>Notices are hints (an id to re-read), so a lost one costs latency, never correctness: the
 * periodic version check catches up.
 */
public final class PgClusterEvents implements ClusterEvents, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PgClusterEvents.class);
    /** The one channel; the topic is the payload's prefix. */
    static final String CHANNEL = "gatehouse_events";
    /** The listening connection's {@code application_name}, which an operator sees in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "gatehouse-listen";
    private static final long INITIAL_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 5_000;
    /** How long one wait for notices lasts; also how soon {@link #close} is noticed. */
    private static final int POLL_MS = 500;
    /** A silent connection is checked this often (a dropped network may not reset it). */
    private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Opens a new connection to the database, outside the pool. */
    @FunctionalInterface
    public interface Connector {
        Connection open() throws SQLException;
    }

    private final Database db;
    private final Connector connector;
    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> reconnected = new CopyOnWriteArrayList<>();
    private final ExecutorService dispatch = Executors.newSingleThreadExecutor(r -> daemon(r, "gatehouse-cluster-events"));
    private final Thread listener;
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection current;

    /**
     * @param db        where notices are sent (a pooled connection each)
     * @param connector opens the listening connection
     */
    public PgClusterEvents(Database db, Connector connector) {
        this.db = db;
        this.connector = connector;
        this.listener = daemon(this::listen, "gatehouse-cluster-listen");
    }

    /** Starts listening; returns at once (the first connection is made on the listening thread). */
    public PgClusterEvents start() {
        listener.start();
        return this;
    }

    @Override
    public void publish(String topic, String payload) {
        if (topic.indexOf(':') >= 0 || payload.length() > 1_000) {
            throw new IllegalArgumentException("a topic without ':' and a payload of at most 1,000 characters");
        }
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, topic + ":" + payload);
            ps.execute();
            c.commit(); // NOTIFY is delivered at commit
        } catch (SQLException | StoreUnavailableException e) {
            // the change itself is stored: other replicas find it at their next periodic check
            LOG.warnf("cannot send the cluster notice %s %s (%s); replicas catch up at their next check", topic,
                    payload, e.getMessage());
        }
    }

    @Override
    public void subscribe(String topic, Consumer<String> handler) {
        handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    }

    @Override
    public void onReconnect(Runnable resync) {
        reconnected.add(resync);
    }

    /** Whether the listening connection is up now. */
    public boolean listening() {
        return listening;
    }

    private void listen() {
        long backoff = INITIAL_BACKOFF_MS;
        boolean failedBefore = false;
        while (!closed) {
            try (Connection c = connector.open()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                listening = true;
                backoff = INITIAL_BACKOFF_MS;
                if (failedBefore) {
                    LOG.infof("listening for cluster notices again");
                }
                failedBefore = false;
                reconnected.forEach(r -> dispatch(r, "resync"));
                long lastHeard = System.nanoTime();
                while (!closed) {
                    PGNotification[] notices = pg.getNotifications(POLL_MS);
                    if (notices != null && notices.length > 0) {
                        lastHeard = System.nanoTime();
                        for (PGNotification n : notices) {
                            deliver(n.getParameter());
                        }
                    } else if (System.nanoTime() - lastHeard > PING_NANOS) {
                        if (!c.isValid(5)) {
                            throw new SQLException("the listening connection stopped answering");
                        }
                        lastHeard = System.nanoTime();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closed) {
                    return;
                }
                if (!failedBefore) {
                    LOG.warnf("cluster notices: the listening connection failed (%s); reconnecting with backoff, "
                            + "the periodic check covers the gap", e.getMessage());
                }
                failedBefore = true;
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } finally {
                listening = false;
                current = null;
            }
        }
    }

    private void deliver(String raw) {
        int colon = raw.indexOf(':');
        if (colon < 0) {
            return; // not ours
        }
        String topic = raw.substring(0, colon);
        String payload = raw.substring(colon + 1);
        for (Consumer<String> handler : handlers.getOrDefault(topic, List.of())) {
            dispatch(() -> handler.accept(payload), topic);
        }
    }

    private void dispatch(Runnable r, String what) {
        try {
            dispatch.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "cluster notice %s handler failed", what);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    @Override
    public void close() {
        closed = true;
        listener.interrupt();
        Connection c = current;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        dispatch.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
