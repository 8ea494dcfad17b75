package dev.gatehouse.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@link ClusterEvents} within one process: the embedded store has one replica, so a notice only
 * has to reach this process's own handlers. Handlers run on the publishing thread (a worker: the
 * store is written from workers only); one failing handler does not keep the notice from the others.
 */
public final class LocalClusterEvents implements ClusterEvents {
    private static final Logger LOG = Logger.getLogger(LocalClusterEvents.class);

    private final Map<String, List<Consumer<String>>> handlers = new ConcurrentHashMap<>();

    @Override
    public void publish(String topic, String payload) {
        for (Consumer<String> handler : handlers.getOrDefault(topic, List.of())) {
            try {
                handler.accept(payload);
            } catch (RuntimeException e) {
                LOG.errorf(e, "cluster notice %s handler failed", topic);
            }
        }
    }

    @Override
    public void subscribe(String topic, Consumer<String> handler) {
        handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    }
}
