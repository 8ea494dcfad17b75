package dev.gatehouse.lifecycle;

import dev.gatehouse.admin.EffectiveConfig;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.ConfigText;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.route.SnapshotUpdate;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Loads the config file at startup and reloads it when it changes (watched, {@link ConfigWatcher})
 * or on SIGHUP ({@link HangupSignal}). A reload reads the file, does nothing if its bytes are those
 * it read last, else loads it whole and, only if it is valid, hands it to {@link EffectiveConfig},
 * which composes it with the apps written through the admin API and puts the result in force
 * through {@link SnapshotPublisher}. A bad file changes nothing: every error is logged with its path
 * and {@code gatehouse_config_reloads_total{result="failure"}} counts it.
 *
 * <p>All reload work runs on one dedicated thread, never on a Vert.x event loop: triggers only queue
 * a reload (one at most waits behind the one running), so reloads never overlap.
 */
@ApplicationScoped
public class ConfigReloader {
    private static final Logger LOG = Logger.getLogger(ConfigReloader.class);

    /** How a reload ended. */
    public enum Outcome { APPLIED, UNCHANGED, FAILED }

    private final EffectiveConfig effective;
    private final ConfigMetrics metrics;
    private final GatehouseSettings settings;
    private final ConfigLoader loader = new ConfigLoader();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-config-reload");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Path file;
    /** Digest of the bytes last read (good or bad); touched by the reload thread only after start. */
    private String lastDigest;
    private ConfigWatcher watcher;
    private HangupSignal hangup;

    public ConfigReloader(EffectiveConfig effective, ConfigMetrics metrics, GatehouseSettings settings) {
        this.effective = effective;
        this.metrics = metrics;
        this.settings = settings;
    }

    /**
     * Loads {@code file} and puts it in force with the apps of the store ({@link EffectiveConfig#start}),
     * then watches it when reloading is enabled.
     *
     * @return the file's config
     * @throws ConfigException when the file is invalid: startup must fail, with every error
     */
    public GatehouseConfig start(Path file) {
        this.file = file;
        ConfigText text = ConfigText.read(file);
        effective.start(history -> loader.parseWithDocuments(text.text(), file.toString(), history));
        GatehouseConfig config = effective.fileConfig();
        lastDigest = text.digest();
        if (settings.configReload().enabled()) {
            try {
                watcher = ConfigWatcher.start(file, settings.configReload().debounce(), () -> request("file changed"));
            } catch (IOException e) {
                LOG.warnf("cannot watch %s (%s): reload it with SIGHUP", file, e);
            }
            hangup = HangupSignal.install(() -> request("SIGHUP"));
        }
        return config;
    }

    /** Queues a reload; returns at once. Safe from any thread (the signal thread, the watcher). */
    public void request(String why) {
        if (file != null && queued.compareAndSet(false, true)) {
            thread.execute(() -> {
                queued.set(false); // a change from now on needs another read
                reload(why);
            });
        }
    }

    /** Reloads on the reload thread and waits for the outcome (tests, and whoever must know it). */
    public Outcome reloadNow(String why) throws InterruptedException, ExecutionException {
        return thread.submit(() -> reload(why)).get();
    }

    /** Whether a SIGHUP handler is installed. */
    public boolean listensForHangup() {
        return hangup != null;
    }

    private Outcome reload(String why) {
        try {
            ConfigText text = ConfigText.read(file);
            if (text.digest().equals(lastDigest)) {
                LOG.debugf("config %s unchanged (%s): nothing to do", file, why);
                return Outcome.UNCHANGED;
            }
            lastDigest = text.digest(); // the same bad bytes are not tried (and counted) again
            // the apps written through the admin API are composed with the new file, not dropped
            SnapshotUpdate update = effective.fileChanged(
                    history -> loader.parseWithDocuments(text.text(), file.toString(), history));
            metrics.reloaded(true);
            LOG.infof("config %s reloaded (%s): %d app(s) in the file, %d written through the admin API; changed %s; "
                    + "added %s; removed %s", file, why, effective.fileConfig().apps().size(), effective.apiAppCount(),
                    names(update, update.changed(), true), names(update, update.added(), true),
                    names(update, update.removed(), false));
            return Outcome.APPLIED;
        } catch (ConfigException e) {
            metrics.reloaded(false);
            // one message (not a format): every error with its path, as the log shows it
            LOG.error("config reload (" + why + ") refused, the config in force stays: " + e.getMessage());
        } catch (RuntimeException e) {
            metrics.reloaded(false);
            LOG.errorf(e, "config reload (%s) failed, the config in force stays", why);
        }
        return Outcome.FAILED;
    }

    /** Ids (with their new versions), at most 20 of them: a reload of thousands of apps logs one line. */
    private static String names(SnapshotUpdate update, List<String> ids, boolean versions) {
        if (ids.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(20, ids.size()); i++) {
            sb.append(i == 0 ? "" : ", ").append(ids.get(i));
            if (versions) {
                sb.append(" v").append(update.versions().version(ids.get(i)));
            }
        }
        return ids.size() > 20 ? sb + " and " + (ids.size() - 20) + " more" : sb.toString();
    }

    @PreDestroy
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
        if (hangup != null) {
            hangup.close();
        }
        thread.shutdownNow();
    }
}
