package dev.gatehouse.route;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.AppHistory;
import dev.gatehouse.config.GatehouseConfig;
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
     * The history once {@code config} is in force. {@code config} must have been loaded with this
     * history as its {@link AppHistory}, so its apps carry the versions this history gave them.
     */
    public AppVersions after(GatehouseConfig config) {
        Map<String, Entry> next = new HashMap<>((byApp.size() + config.apps().size()) * 4 / 3 + 1);
        for (AppConfig app : config.apps()) {
            Entry old = byApp.get(app.id());
            // an app reused as it was keeps its entry: the common case of a reload costs a lookup
            next.put(app.id(), old != null && old.app == app ? old
                    : new Entry(config.digests().get(app.id()), app.policy().version(), app));
        }
        for (Map.Entry<String, Entry> e : byApp.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                Entry gone = e.getValue();
                next.put(e.getKey(), gone.app == null ? gone : new Entry(gone.digest, gone.version, null));
            }
        }
        return new AppVersions(Collections.unmodifiableMap(next));
    }
}
