package dev.gatehouse.lifecycle;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches the config file's directory and calls back once the file may have changed and things have
 * been quiet for the debounce time. The directory, not the file: editors save by writing a temporary
 * file and renaming it over the old one (a new inode), and Kubernetes updates a mounted ConfigMap by
 * swapping the {@code ..data} symlink the file points through. Both show up as events in the
 * directory; a file watch would miss them. When the path leads through symlinks, the directory of
 * the file it resolves to is watched too (re-resolved after every change). The callback only hints:
 * the reloader compares content digests, so a spurious call costs one read.
 */
final class ConfigWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ConfigWatcher.class);
    /** How often unwatchable directories (not there yet) are tried again. */
    private static final long RETRY_MILLIS = 5_000;

    private final Path file;
    private final long debounceNanos;
    private final Runnable onChange;
    private final WatchService service;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Thread thread;

    private ConfigWatcher(Path file, Duration debounce, Runnable onChange) throws IOException {
        this.file = file.toAbsolutePath().normalize();
        this.debounceNanos = Math.max(0, debounce.toNanos());
        this.onChange = onChange;
        this.service = FileSystems.getDefault().newWatchService();
        register();
        this.thread = new Thread(this::run, "gatehouse-config-watch");
        thread.setDaemon(true);
    }

    /** Starts watching {@code file}; {@code onChange} runs on the watcher's own thread. */
    static ConfigWatcher start(Path file, Duration debounce, Runnable onChange) throws IOException {
        ConfigWatcher w = new ConfigWatcher(file, debounce, onChange);
        w.thread.start();
        return w;
    }

    private void run() {
        long due = 0; // nanoTime at which to call back; 0: nothing pending
        try {
            while (true) {
                long wait = due == 0 ? RETRY_MILLIS : Math.max(0, (due - System.nanoTime()) / 1_000_000);
                WatchKey key = service.poll(wait, TimeUnit.MILLISECONDS);
                if (key != null) {
                    if (relevant(key)) {
                        due = System.nanoTime() + debounceNanos; // every new event restarts the quiet time
                    }
                    key.reset(); // false when the directory is gone; register() watches what is there now
                }
                if (due != 0 && System.nanoTime() - due >= 0) {
                    due = 0;
                    register(); // a ConfigMap swap moves the file's real directory
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        LOG.error("config reload trigger failed", e);
                    }
                } else if (key == null) {
                    register();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: stop watching
        }
    }

    /** Whether an event of this key may concern the file: its name, its target's name, a {@code ..} entry. */
    private boolean relevant(WatchKey key) {
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                relevant = true; // events were lost: look at the file
            } else if (event.context() instanceof Path name) {
                String n = name.toString();
                relevant |= n.equals(file.getFileName().toString()) || n.startsWith("..")
                        || n.equals(String.valueOf(realFile().getFileName()));
            }
        }
        return relevant;
    }

    /** Watches the file's directory and its real file's directory; drops watches no longer needed. */
    private void register() {
        Set<Path> dirs = new LinkedHashSet<>();
        dirs.add(file.getParent());
        Path real = realFile();
        if (real.getParent() != null) {
            dirs.add(real.getParent());
        }
        keys.entrySet().removeIf(e -> {
            boolean drop = !dirs.contains(e.getKey()) || !e.getValue().isValid();
            if (drop) {
                e.getValue().cancel();
            }
            return drop;
        });
        for (Path dir : dirs) {
            if (!keys.containsKey(dir)) {
                try {
                    keys.put(dir, dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    LOG.warnf("cannot watch %s for config changes (%s); retrying; SIGHUP reloads meanwhile", dir, e);
                }
            }
        }
    }

    /** The file the config path resolves to through symlinks, or the path itself while it does not resolve. */
    private Path realFile() {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file;
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("closing the config watch service", e);
        }
        thread.interrupt();
    }
}
