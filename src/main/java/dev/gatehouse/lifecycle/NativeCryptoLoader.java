package dev.gatehouse.lifecycle;

import dev.gatehouse.crypto.NativeCrypto;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Loads the native crypto provider ({@link NativeCrypto}) at boot on a thread of its own. Loading
 * it (unpacking and linking its library, then its self-tests) takes about 0.3-0.5 s; done on first
 * use it would stall the first request that verifies a new token or signs an assertion, on an
 * event loop. Done here it overlaps the rest of the start; a request that arrives before it ends
 * waits for it (the JVM's class initialisation), which is no worse than loading it itself.
 */
@ApplicationScoped
public class NativeCryptoLoader {
    void onStart(@Observes StartupEvent event) {
        loadInBackground();
    }

    /** Starts the load on a daemon thread and returns that thread. */
    static Thread loadInBackground() {
        Thread t = new Thread(NativeCrypto::provider, "gatehouse-native-crypto-load");
        t.setDaemon(true); // never holds up a shutdown
        t.start();
        return t;
    }
}
