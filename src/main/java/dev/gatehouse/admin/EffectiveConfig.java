package dev.gatehouse.admin;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.config.AppDocuments;
import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.config.GatehouseConfig;
import dev.gatehouse.config.GatehouseSettings;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotPublishing;
import dev.gatehouse.route.SnapshotUpdate;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppVersion;
import dev.gatehouse.store.StoreUnavailableException;
import dev.gatehouse.store.Candidate;
import dev.gatehouse.store.CandidateStore;
import dev.gatehouse.store.ClusterEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The config in force: the apps of the config file (origin {@code file}, read-only in the API) and
 * the apps written through the admin API (origin {@code api}), composed into one
 * {@link GatehouseConfig} and put in force through {@link SnapshotPublishing} (the reload engine's
 * publisher: incremental swap, per-app policy versions, open connections re-checked). Every change
 * goes through here: the first config at startup ({@link #start}), a reload of the file
 * ({@link #fileChanged}) and each store write ({@link #applied}); nothing else publishes.
 *
 * <p>An app written through the API is read like an app of the file, against the publisher's
 * history: unchanged (same document, same IdP settings) it keeps its compiled policy and policy
 * version; new or changed it gets its next policy version. The store's own version of a document
 * (the API's {@code ETag}) is another number.
 *
 * <p>The file wins: a stored app whose id or route a file app has (the file changed since it was
 * written), or that no longer validates against the file's IdPs, is left out with an error logged;
 * a reload of the file composes the stored apps with the new file again, so it never drops the
 * API's apps that still fit.
 *
 * <p>Shadow mode: the candidate policies of the store are compiled once each (at startup and when
 * a notice on {@link #CANDIDATE_TOPIC} says one changed, from whichever replica) and published with
 * the config, for the apps in force, so the request path finds them in the snapshot.
 */
@ApplicationScoped
public class EffectiveConfig {
    private static final Logger LOG = Logger.getLogger(EffectiveConfig.class);

    /** An app written through the API, compiled, with the store version it came from and its digest. */
    record ApiApp(AppConfig app, long version, String digest) {
    }

    /** The {@link ClusterEvents} topic of candidate changes; the payload is the app id. */
    public static final String CANDIDATE_TOPIC = "candidate";

    private final SnapshotPublishing publisher;
    private final AppStore store;
    private final CandidateStore candidateStore;
    /** Compiled candidate policies by app id, whether or not the app is in force (guarded by this). */
    private Map<String, CandidatePolicy> candidates = new HashMap<>();
    private final String adminHost;
    private volatile ConfigLoader.Loaded file = new ConfigLoader.Loaded(Snapshot.empty().config(), AppDocuments.NONE);
    /** The API apps in force, by id (guarded by this). */
    private Map<String, ApiApp> api = new LinkedHashMap<>();
    /** The latest version stored of every API app, deletions included, in force or not (guarded by this). */
    private final Map<String, AppVersion> stored = new LinkedHashMap<>();
    /** The history after this class's last publish; null before the first (guarded by this). */
    private AppHistory published;
    /** Whether the store's apps were read at startup or since ({@link #storeReturned}). */
    private volatile boolean storeLoaded;

    @Inject
    public EffectiveConfig(SnapshotPublishing publisher, AppStore store, CandidateStore candidateStore,
                           ClusterEvents events, GatehouseSettings settings) {
        this(publisher, store, candidateStore, settings.admin().host());
        events.subscribe(CANDIDATE_TOPIC, this::candidateChanged);
    }

    EffectiveConfig(SnapshotPublishing publisher, AppStore store, String adminHost) {
        this(publisher, store, null, adminHost);
    }

    EffectiveConfig(SnapshotPublishing publisher, AppStore store, CandidateStore candidateStore, String adminHost) {
        this.publisher = publisher;
        this.store = store;
        this.candidateStore = candidateStore;
        this.adminHost = adminHost.toLowerCase(Locale.ROOT);
    }

    /**
     * Puts the file's config (or the demo's) and the store's apps in force as the first snapshot.
     *
     * @param load loads the file against the history it is given
     * @throws ConfigException when the file is invalid or a file app claims the admin host
     */
    public synchronized SnapshotUpdate start(Function<AppHistory, ConfigLoader.Loaded> load) {
        stored.clear();
        try {
            for (AppVersion v : store.live()) {
                stored.put(v.appId(), v);
            }
            storeLoaded = true;
        } catch (StoreUnavailableException e) {
            // the file's apps are served; the store's follow when it answers (lifecycle.ReplicaSync)
            storeLoaded = false;
            LOG.errorf("the store cannot be read (%s): starting with the config file's apps only", e.getMessage());
        }
        candidates = new HashMap<>();
        if (candidateStore != null && storeLoaded) { // else the periodic check's refreshCandidates reads them
            for (Candidate k : candidateStore.all()) {
                CandidatePolicy compiled = compile(k);
                if (compiled != null) {
                    candidates.put(k.appId(), compiled);
                }
            }
        }
        return install(load);
    }

    /**
     * Whether the store's apps have been read since startup. False while the store has not answered
     * since this replica started: it then enforces the file's apps only.
     */
    public boolean storeLoaded() {
        return storeLoaded;
    }

    /**
     * Puts every app the store holds in force, composed with the file in force: for a replica that
     * started without the store, once it answers. An app in force that the store no longer has
     * is removed.
     *
     * @param live the store's live apps ({@link AppStore#live()})
     */
    public synchronized SnapshotUpdate storeReturned(List<AppVersion> live) {
        stored.clear();
        live.forEach(v -> stored.put(v.appId(), v));
        ConfigLoader.Loaded current = file;
        SnapshotUpdate update = install(history -> current);
        storeLoaded = true;
        return update;
    }

    /**
     * Re-reads one app from the store and puts its latest version in force if it is newer than
     * the one this replica knows: the handler of the cluster notice {@code app}, on every replica
     * (the writer's included, for which it is a no-op), and of the periodic check.
     */
    public void refresh(String appId) {
        store.latest(appId).ifPresent(this::applied); // read outside the lock: the data plane never waits on it
    }

    /** The latest store version this replica knows of each API app (deletions included). */
    public synchronized Map<String, Long> knownVersions() {
        Map<String, Long> out = new HashMap<>();
        stored.forEach((id, v) -> out.put(id, v.version()));
        return out;
    }

    /**
     * The config file changed: composes the new file with the stored apps and puts the result in
     * force. The file is loaded here, under the lock every publish takes, so that it is loaded
     * against the history in force. An API app the new file claims the id or route of, or that no
     * longer validates against its IdPs, is left out (an error logged); it comes back with a file
     * that no longer claims it.
     *
     * @param load loads the file against the history it is given
     * @return what changed
     * @throws ConfigException when the file is invalid or a file app claims the admin host: nothing
     *                         changes
     */
    public synchronized SnapshotUpdate fileChanged(Function<AppHistory, ConfigLoader.Loaded> load) {
        return install(load);
    }

    private SnapshotUpdate install(Function<AppHistory, ConfigLoader.Loaded> load) {
        AppHistory history = history();
        ConfigLoader.Loaded next = load.apply(history);
        List<String> errors = new ArrayList<>();
        List<AppConfig> apps = next.config().apps();
        for (int i = 0; i < apps.size(); i++) {
            if (apps.get(i).host().equals(adminHost)) {
                errors.add("apps[" + i + "].host: '" + adminHost + "' is the admin API's host (gatehouse.admin.host); "
                        + "give the app another host or move the admin API");
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(next.config().source(), errors);
        }
        Map<String, ApiApp> nextApi = new LinkedHashMap<>();
        Set<String> apiRoutes = new HashSet<>();
        for (AppVersion v : stored.values()) {
            if (v.deleted()) {
                continue;
            }
            String problem = admit(v, next, history, nextApi, apiRoutes);
            if (problem != null) {
                LOG.errorf("app %s (version %d, written through the admin API) is not enforced: %s", v.appId(),
                        v.version(), problem);
            }
        }
        SnapshotUpdate update = publish(next, nextApi, history);
        file = next;
        api = nextApi;
        return update;
    }

    /** A version the store just wrote (or deleted): put it in force, unless a newer one already is. */
    public synchronized void applied(AppVersion v) {
        AppVersion known = stored.get(v.appId());
        if (known != null && known.version() >= v.version()) {
            return; // a concurrent later write was published first
        }
        stored.put(v.appId(), v);
        Map<String, ApiApp> nextApi = new LinkedHashMap<>(api);
        ApiApp before = nextApi.remove(v.appId());
        AppHistory history = history();
        if (v.deleted()) {
            if (before == null) {
                return; // was not in force
            }
        } else {
            Set<String> routes = new HashSet<>();
            nextApi.values().forEach(a -> routes.add(AppDocument.routeKey(a.app())));
            String problem = admit(v, file, history, nextApi, routes);
            if (problem != null) {
                LOG.errorf("app %s version %d was stored but is not enforced: %s", v.appId(), v.version(), problem);
                return; // the version in force, if any, stays
            }
        }
        publish(file, nextApi, history);
        api = nextApi;
    }

    /**
     * The candidate policy of an app changed in the store (set, replaced, removed or promoted, on any
     * replica): compiles it once and publishes the config with it.
     */
    public synchronized void candidateChanged(String appId) {
        if (candidateStore == null) {
            return;
        }
        CandidatePolicy before = candidates.get(appId);
        CandidatePolicy next = candidateStore.current(appId).map(EffectiveConfig::compile).orElse(null);
        if (next != null && before != null && next.version() == before.version()) {
            return; // already in force: keep its tallies
        }
        Map<String, CandidatePolicy> nextCandidates = new HashMap<>(candidates);
        if (next == null) {
            if (nextCandidates.remove(appId) == null) {
                return;
            }
        } else {
            nextCandidates.put(appId, next);
        }
        candidates = nextCandidates;
        if (published != null) {
            publish(file, api, history());
        }
    }

    /**
     * Re-reads every candidate from the store and publishes when any changed: for a periodic check
     * that catches up on lost change notices. Candidates whose version is unchanged keep their tallies.
     */
    public synchronized void refreshCandidates() {
        if (candidateStore == null) {
            return;
        }
        Map<String, CandidatePolicy> next = new HashMap<>();
        boolean changed = false;
        for (Candidate k : candidateStore.all()) {
            CandidatePolicy before = candidates.get(k.appId());
            CandidatePolicy now = before != null && before.version() == k.version() ? before : compile(k);
            changed |= now != before;
            if (now != null) {
                next.put(k.appId(), now);
            }
        }
        if (changed || next.size() != candidates.size()) {
            candidates = next;
            if (published != null) {
                publish(file, api, history());
            }
        }
    }

    /** Compiles a stored candidate; null (logged) when it no longer compiles, which a write prevents. */
    private static CandidatePolicy compile(Candidate k) {
        CompileResult r = PolicyCompiler.compile(Json.parseStored(k.policy()), "policy", k.version());
        if (!r.ok()) {
            LOG.errorf("the candidate policy of app %s (version %d) is not evaluated: %s", k.appId(), k.version(),
                    r.errors());
            return null;
        }
        return new CandidatePolicy(k.appId(), k.version(), r.policy());
    }

    /** The history to compile against: the publisher's, which only this class moves. */
    private AppHistory history() {
        AppHistory history = publisher.history();
        if (published != null && history != published) {
            // every app of the config in force must be in this history, or the next publish is wrong
            throw new IllegalStateException("a snapshot was published other than through EffectiveConfig");
        }
        return history;
    }

    /**
     * Compiles a stored version against {@code fileConfig} into {@code into}; returns why it cannot
     * be, or null.
     *
     * @param routes the routes of the API apps already in {@code into}; gets this app's
     */
    private String admit(AppVersion v, ConfigLoader.Loaded fileConfig, AppHistory history, Map<String, ApiApp> into,
                         Set<String> routes) {
        GatehouseConfig f = fileConfig.config();
        if (f.apps().stream().anyMatch(a -> a.id().equals(v.appId()))) {
            return "the config file defines an app with the same id";
        }
        AppDocument.Result r = AppDocument.read(Json.parseStored(v.document()), f.idps(), pinned(history, v.version()));
        if (!r.ok()) {
            return "invalid against the current config: " + r.errors();
        }
        String route = AppDocument.routeKey(r.app());
        String owner = routeOwner(f, route);
        if (owner != null) {
            return "the config file's app '" + owner + "' serves the same host and path prefix";
        }
        if (r.app().host().equals(adminHost)) {
            return "'" + adminHost + "' is the admin API's host (gatehouse.admin.host)";
        }
        if (!routes.add(route)) {
            return "another app written through the admin API serves the same host and path prefix";
        }
        into.put(v.appId(), new ApiApp(r.app(), v.version(), r.digest()));
        return null;
    }

    /**
     * The history an API app is read with: its policy version is its store version, so that every
     * replica reports the same {@code gatehouse_policy_version} for it whenever it started; an app
     * compiled earlier is reused only when it was compiled at that version.
     */
    private static AppHistory pinned(AppHistory history, long storeVersion) {
        return new AppHistory() {
            @Override
            public AppConfig reuse(String appId, String digest) {
                AppConfig earlier = history.reuse(appId, digest);
                return earlier != null && earlier.policy().version() == storeVersion ? earlier : null;
            }

            @Override
            public long versionFor(String appId, String digest) {
                return storeVersion;
            }
        };
    }

    /** Composes the file's apps and {@code apiApps} into one config and puts it in force. */
    private SnapshotUpdate publish(ConfigLoader.Loaded fileConfig, Map<String, ApiApp> apiApps, AppHistory history) {
        GatehouseConfig f = fileConfig.config();
        List<AppConfig> apps = new ArrayList<>(f.apps().size() + apiApps.size());
        apps.addAll(f.apps());
        Map<String, String> digests = new HashMap<>(f.digests());
        for (ApiApp a : apiApps.values()) {
            apps.add(a.app());
            digests.put(a.app().id(), a.digest());
        }
        Map<String, CandidatePolicy> shadow = new HashMap<>();
        for (AppConfig app : apps) {
            CandidatePolicy k = candidates.get(app.id());
            if (k != null) {
                shadow.put(app.id(), k);
            }
        }
        SnapshotUpdate update = publisher.publish(new GatehouseConfig(f.idps(), apps, f.source(), digests, shadow),
                history);
        published = update.versions();
        return update;
    }

    /** The config file's part: its IdPs and apps. */
    public GatehouseConfig fileConfig() {
        return file.config();
    }

    /** The file app with this id. */
    public Optional<AppConfig> fileApp(String id) {
        return file.config().apps().stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /** The file app's document as written in the YAML (a new tree on every call), or null. */
    public Object fileDocument(String id) {
        return file.appDocuments().get(id);
    }

    /** The id of the file app serving this route ({@link AppDocument#routeKey}), or null. */
    public String fileRouteOwner(String routeKey) {
        return routeOwner(file.config(), routeKey);
    }

    private static String routeOwner(GatehouseConfig config, String routeKey) {
        return config.apps().stream().filter(a -> AppDocument.routeKey(a).equals(routeKey)).map(AppConfig::id)
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
