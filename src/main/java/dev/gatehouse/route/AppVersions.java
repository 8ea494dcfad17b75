package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.AppHistory;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The policy version of every app this process has seen, with the digest of its latest definition
 * and, while it is in force, its compiled {@link AppConfig}. Immutable: each published config makes
 * the next one ({@link #after}), so a load that fails leaves it untouched.
 *
 * <p>An app is at version 1 when first seen and one more each time its definition changes. An app
 * that is removed is remembered: put back later, it continues from its last version (the same one
 * if its definition is the same), so within one process a version number never names two different
 * policies of the same app in the decision log.
 */
public final class AppVersions implements AppHistory {
    /** Nothing seen yet. */
    public static final AppVersions NONE = new AppVersions(Map.of());

    /** @param app the compiled app while in force, null once removed */
    private record Entry(String digest, long version, AppConfig app) {
    }

    private final Map<String, Entry> byApp;

    private AppVersions(Map<String, Entry> byApp) {
        this.byApp = byApp;
    }

    @Override
    public AppConfig reuse(String appId, String digest) {
        Entry e = byApp.get(appId);
        return e != null && e.app != null && digest != null && digest.equals(e.digest) ? e.app : null;
    }

    @Override
    public long versionFor(String appId, String digest) {
        Entry e = byApp.get(appId);
        if (e == null) {
            return 1;
        }
        return digest != null && digest.equals(e.digest) ? e.version : e.version + 1;
    }

    /** The version in force for an app, or 0 when it is not in force. */
    public long version(String appId) {
        Entry e = byApp.get(appId);
        return e == null || e.app == null ? 0 : e.version;
    }

    /**
     * The history once the apps in {@code fresh} (new or changed) and the removal of {@code removed}
     * are in force; every other app keeps its entry. The apps must have been loaded with this history
     * as their {@link AppHistory}, so they carry the versions it gave them.
     *
     * @param digests each app's digest by id, as the loader computed them
     */
    public AppVersions after(Collection<AppConfig> fresh, Map<String, String> digests, Collection<String> removed) {
        Map<String, Entry> next = new HashMap<>(byApp);
        for (AppConfig app : fresh) {
            next.put(app.id(), new Entry(digests.get(app.id()), app.policy().version(), app));
        }
        for (String id : removed) {
            Entry gone = next.get(id);
            if (gone != null) {
                next.put(id, new Entry(gone.digest, gone.version, null));
            }
        }
        return new AppVersions(Collections.unmodifiableMap(next));
    }
}
