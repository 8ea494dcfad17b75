package dev.gatehouse.gateway.connection;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Says at startup how connections are served: the number of event loops and whether Netty's native
 * epoll transport is in use (it is bundled for linux-x86_64; elsewhere NIO). Both change throughput
 * by tens of percent, so an operator comparing figures should see them in the log.
 */
@Singleton
public class TransportReport {
    private static final Logger LOG = Logger.getLogger(TransportReport.class);

    void report(@Observes StartupEvent event, Vertx vertx,
                @ConfigProperty(name = "quarkus.vertx.event-loops-pool-size") int eventLoops) {
        Throwable why = vertx.unavailableNativeTransportCause();
        LOG.infof("Transport: %d event loop(s), %s", eventLoops, vertx.isNativeTransportEnabled() ? "native epoll"
                : why == null ? "NIO (native transport not asked for)" : "NIO (native transport unavailable: " + why + ")");
    }
}
