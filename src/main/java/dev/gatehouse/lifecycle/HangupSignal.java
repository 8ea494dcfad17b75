package dev.gatehouse.lifecycle;

import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP asks for a config reload, as it does for nginx and HAProxy. The handler runs on the JVM's
 * signal thread and only queues the reload. Where the signal does not exist (Windows) or cannot be
 * taken (the JVM runs with {@code -Xrs}), Gatehouse starts anyway and says so; editing the file still
 * reloads it. Closing puts the previous handler back.
 */
final class HangupSignal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HangupSignal.class);

    private final Signal signal;
    private final SignalHandler previous;

    private HangupSignal(Signal signal, SignalHandler previous) {
        this.signal = signal;
        this.previous = previous;
    }

    /** Installs the handler; null when this platform has no SIGHUP for us. */
    static HangupSignal install(Runnable onHangup) {
        try {
            Signal hup = new Signal("HUP");
            SignalHandler previous = Signal.handle(hup, s -> onHangup.run());
            return new HangupSignal(hup, previous);
        } catch (RuntimeException | LinkageError e) {
            LOG.infof("SIGHUP cannot be used here (%s): the config file is still reloaded when it changes", e);
            return null;
        }
    }

    @Override
    public void close() {
        try {
            Signal.handle(signal, previous);
        } catch (RuntimeException e) {
            LOG.debug("restoring the previous SIGHUP handler", e);
        }
    }
}
