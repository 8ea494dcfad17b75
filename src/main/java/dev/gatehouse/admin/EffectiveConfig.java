package dev.gatehouse.admin;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.observe.ConfigMetrics;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The config in force: the apps of the config file (origin {@code file}, read-only in the API) and
 * the apps written through the admin API (origin {@code api}), published as one immutable
 * {@link Snapshot}. {@link #publish()} is the one place a snapshot is built and swapped after a
 * store write or at startup: a simple full rebuild today, the seam for an incremental engine.
 *
 * <p>The file wins: a stored app whose id or route a file app has (the file changed since it was
 * written), or that no longer validates against the file's IdPs, is left out with an error logged.
 */
@ApplicationScoped
public class EffectiveConfig {
    private static final Logger LOG = Logger.getLogger(EffectiveConfig.class);

    /** An app written through the API, compiled, with the store version it came from. */
    record ApiApp(AppConfig app, long version) {
    }

    private final SnapshotHolder holder;
    private final ConfigMetrics metrics;
    private final AppStore store;
    private final String adminHost;
    private volatile ConfigLoader.Loaded file = new ConfigLoader.Loaded(Snapshot.empty().config(), Map.of());
    private final Map<String, ApiApp> api = new LinkedHashMap<>(); // guarded by this
    private long snapshotVersion; // guarded by this

    @Inject
    public EffectiveConfig(SnapshotHolder holder, ConfigMetrics metrics, AppStore store, GatehouseSettings settings) {
        this(holder, metrics, store, settings.admin().host());
    }

    EffectiveConfig(SnapshotHolder holder, ConfigMetrics metrics, AppStore store, String adminHost) {
        this.holder = holder;
        this.metrics = metrics;
        this.store = store;
        this.adminHost = adminHost.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Installs the file's config and the store's apps as the first snapshot.
     *
     * @throws ConfigException when a file app claims the admin host
     */
    public synchronized void start(ConfigLoader.Loaded fileConfig) {
        List<String> errors = new ArrayList<>();
        List<AppConfig> apps = fileConfig.config().apps();
        for (int i = 0; i < apps.size(); i++) {
            if (apps.get(i).host().equals(adminHost)) {
                errors.add("apps[" + i + "].host: '" + adminHost + "' is the admin API's host (gatehouse.admin.host); "
                        + "give the app another host or move the admin API");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(fileConfig.config().source(), errors);
        }
        this.file = fileConfig;
        api.clear();
        for (AppVersion v : store.live()) {
            String problem = admit(v);
            if (problem != null) {
                LOG.errorf("app %s (version %d, written through the admin API) is not enforced: %s", v.appId(),
                        v.version(), problem);
            }
        }
        publish();
    }

    /** A version the store just wrote (or deleted): put it in force, unless a newer one already is. */
    public synchronized void applied(AppVersion v) {
        ApiApp known = api.get(v.appId());
        if (known != null && known.version() >= v.version()) {
            return; // a concurrent later write was published first
        }
        if (v.deleted()) {
            api.remove(v.appId());
        } else {
            String problem = admit(v);
            if (problem != null) {
                LOG.errorf("app %s version %d was stored but is not enforced: %s", v.appId(), v.version(), problem);
                return;
            }
        }
        publish();
    }

    /** Compiles a stored version into {@link #api}; returns why it cannot be, or null. */
    private String admit(AppVersion v) {
        if (fileApp(v.appId()).isPresent()) {
            return "the config file defines an app with the same id";
        }
        AppDocument.Result r = AppDocument.read(Json.parseStored(v.document()), file.config().idps(), v.version());
        if (!r.ok()) {
            return "invalid against the current config: " + r.errors();
        }
        String owner = fileRouteOwner(AppDocument.routeKey(r.app()));
        if (owner != null) {
            return "the config file's app '" + owner + "' serves the same host and path prefix";
        }
        api.put(v.appId(), new ApiApp(r.app(), v.version()));
        return null;
    }

    /** Builds the snapshot of file apps + API apps and swaps it in; updates the policy-version gauges. */
    private void publish() {
        GatehouseConfig f = file.config();
        List<AppConfig> apps = new ArrayList<>(f.apps());
        Map<String, Long> versions = new LinkedHashMap<>();
        f.apps().forEach(a -> versions.put(a.id(), a.policy().version()));
        api.values().forEach(a -> {
            apps.add(a.app());
            versions.put(a.app().id(), a.version());
        });
        GatehouseConfig effective = new GatehouseConfig(f.idps(), apps, f.source());
        holder.swap(Snapshot.of(effective, ++snapshotVersion));
        metrics.installed(versions);
        metrics.retainOnly(versions.keySet());
    }

    /** The config file's part: its IdPs and apps. */
    public GatehouseConfig fileConfig() {
        return file.config();
    }

    /** The file app with this id. */
    public Optional<AppConfig> fileApp(String id) {
        return file.config().apps().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The file app's document as written in the YAML, or null. */
    public Object fileDocument(String id) {
        return file.appDocuments().get(id);
    }

    /** The id of the file app serving this route ({@link AppDocument#routeKey}), or null. */
    public String fileRouteOwner(String routeKey) {
        return file.config().apps().stream().filter(a -> AppDocument.routeKey(a).equals(routeKey)).map(AppConfig::id)
                .findFirst().orElse(null);
    }

    /** The id of another API app in force serving this route, or null. */
    public synchronized String apiRouteOwner(String routeKey, String exceptId) {
        return api.values().stream().map(ApiApp::app).filter(a -> !a.id().equals(exceptId))
                .filter(a -> AppDocument.routeKey(a).equals(routeKey)).map(AppConfig::id).findFirst().orElse(null);
    }

    /** How many apps written through the admin API are in force. */
    public synchronized int apiAppCount() {
        return api.size();
    }

    /** The host the admin API answers on; no app may claim it. */
    public String adminHost() {
        return adminHost;
    }
}
