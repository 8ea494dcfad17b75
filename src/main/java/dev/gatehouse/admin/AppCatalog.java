package dev.gatehouse.admin;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.store.AppStore;
import dev.gatehouse.store.AppVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The read side of apps, shared by the admin API's resources and the console's pages: the apps of
 * the config file and of the store, one app with its version, an app's versions, one version and
 * the structural diff of two. Every refusal is the {@link ApiProblem} the API answers with.
 */
@ApplicationScoped
public class AppCatalog {
    private final EffectiveConfig effective;
    private final AppStore store;

    public AppCatalog(EffectiveConfig effective, AppStore store) {
        this.effective = effective;
        this.store = store;
    }

    /**
     * One app as the API shows it.
     *
     * @param id       the app's id
     * @param document the document as written (the YAML's keys), parsed
     * @param version  the store version (origin api) or the policy version of the file (origin file)
     * @param origin   {@code file} or {@code api}
     */
    public record Entry(String id, Map<String, Object> document, long version, String origin) {
        /** Whether the config file defines it (read-only in the API and the console). */
        public boolean fromFile() {
            return Views.FILE.equals(origin);
        }
    }

    /**
     * A diff of two versions.
     *
     * @param from    the older version (0: none, the app did not exist)
     * @param to      the newer version
     * @param changes one entry per changed leaf or subtree
     */
    public record Diff(long from, long to, List<JsonDiff.Change> changes) {
    }

    /** Every app, the file's and the store's, by id. */
    public List<Entry> all() {
        List<Entry> all = new ArrayList<>();
        for (AppConfig app : effective.fileConfig().apps()) {
            Object doc = effective.fileDocument(app.id());
            all.add(new Entry(app.id(), doc instanceof Map<?, ?> ? AppService.asMap(doc)
                    : Map.of("id", app.id(), "host", app.host()), app.policy().version(), Views.FILE));
        }
        for (AppVersion v : store.live()) {
            all.add(new Entry(v.appId(), AppService.asMap(Json.parseStored(v.document())), v.version(), Views.API));
        }
        all.sort(Comparator.comparing(Entry::id));
        return all;
    }

    /** One app, or 404. */
    public Entry get(String id) {
        Requests.id(id);
        Object fileDoc = effective.fileDocument(id);
        if (fileDoc != null) {
            long version = effective.fileApp(id).map(a -> a.policy().version()).orElse(1L);
            return new Entry(id, AppService.asMap(fileDoc), version, Views.FILE);
        }
        AppVersion v = store.latest(id).filter(x -> !x.deleted())
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No app '" + id + "'."));
        return new Entry(id, AppService.asMap(Json.parseStored(v.document())), v.version(), Views.API);
    }

    /** Versions of an API app, newest first, below {@code before} (null: from the latest); 404 for none at all. */
    public List<AppVersion> versions(String id, Long before, int limit) {
        apiApp(id);
        List<AppVersion> page = store.versions(id, before, limit);
        if (page.isEmpty() && before == null) {
            throw new ApiProblem(404, "not-found", "No app '" + id + "'.");
        }
        return page;
    }

    /** One version of an API app, or 404. */
    public AppVersion version(String id, long n) {
        apiApp(id);
        return find(id, n);
    }

    /** The latest version of an API app, deleted or not, or 404. */
    public AppVersion latest(String id) {
        apiApp(id);
        return store.latest(id).orElseThrow(() -> new ApiProblem(404, "not-found", "No app '" + id + "'."));
    }

    /** The diff of two versions; defaults: {@code to} = the latest, {@code from} = {@code to - 1}. */
    public Diff diff(String id, Long fromN, Long toN) {
        apiApp(id);
        AppVersion to = toN != null ? find(id, toN) : store.latest(id)
                .orElseThrow(() -> new ApiProblem(404, "not-found", "No app '" + id + "'."));
        long f = fromN != null ? fromN : to.version() - 1;
        Object before = f == 0 ? null : document(find(id, f));
        return new Diff(f, to.version(), JsonDiff.diff(before, document(to)));
    }

    /** A version's document, parsed; null for a deletion. */
    public static Map<String, Object> document(AppVersion v) {
        return v.document() == null ? null : AppService.asMap(Json.parseStored(v.document()));
    }

    private void apiApp(String id) {
        Requests.id(id);
        if (effective.fileApp(id).isPresent()) {
            throw new ApiProblem(409, "origin-file", "App '" + id + "' comes from the config file (origin: file): its "
                    + "history is the file's.");
        }
    }

    private AppVersion find(String id, long n) {
        return store.version(id, n).orElseThrow(() -> new ApiProblem(404, "version-not-found",
                "App '" + id + "' has no version " + n + "."));
    }
}
