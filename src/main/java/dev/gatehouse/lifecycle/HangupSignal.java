package dev.gatehouse.lifecycle;

import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP asks for a config reload, as it does for nginx and HAProxy. The handler runs on the JVM's
 * signal thread and only queues the reload. Where the signal does not exist (Windows) or cannot be
 * taken (the JVM runs with {@code -Xrs}, or the process was started with SIGHUP ignored, as
 * {@code nohup} does), Gatehouse starts anyway and says so; editing the file still
 * reloads it. Closing stops the signal reaching this instance.
 */
final class HangupSignal implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HangupSignal.class);
    /**
     * Who a SIGHUP goes to now. The JVM's handler dispatches here: a handler per start, put back on
     * close, went wrong when starts and stops overlapped or came out of order
     * (several Gatehouse instances in one JVM, as tests run them): a late close put back the handler
     * of an instance long gone, and SIGHUP reloaded nothing.
     */
    private static final AtomicReference<Runnable> TARGET = new AtomicReference<>();

    private final Runnable onHangup;

    private HangupSignal(Runnable onHangup) {
        this.onHangup = onHangup;
    }

    /** Installs the handler; null when this platform has no SIGHUP for us. */
    static synchronized HangupSignal install(Runnable onHangup) {
        SignalHandler previous;
        try {
            // every start installs it again: something else (a framework's own handling) may have taken it
            previous = Signal.handle(new Signal("HUP"), s -> {
                Runnable target = TARGET.get();
                if (target != null) {
                    target.run();
                }
            });
        } catch (RuntimeException | LinkageError e) {
            LOG.infof("SIGHUP cannot be used here (%s): the config file is still reloaded when it changes", e);
            return null;
        }
        if (previous == SignalHandler.SIG_IGN) {
            // the JVM never takes a signal that was ignored when it started (nohup does that): the
            // handler above is accepted but will never run, so say so instead of failing quietly
            LOG.warn("SIGHUP was ignored when this process started (under nohup?), so it cannot ask for a reload: "
                    + "the config file is still reloaded when it changes; start Gatehouse without nohup "
                    + "(systemd, a container, setsid) to reload it by signal");
            return null;
        }
        TARGET.set(onHangup);
        return new HangupSignal(onHangup);
    }

    /** Stops sending SIGHUP here; a later instance's target is left alone. */
    @Override
    public void close() {
        TARGET.compareAndSet(onHangup, null);
    }
}
