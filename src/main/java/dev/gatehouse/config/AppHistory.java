package dev.gatehouse.config;

/**
 * What earlier loads of the same process tell a new load: the app already compiled for a definition
 * that has not changed (reused as it is, not compiled again), and the policy version a new or changed
 * definition gets. The loader asks by app id and {@link AppDigest}; it validates everything else
 * (YAML, ids, routes, IdP references) on every load.
 */
public interface AppHistory {
    /** No history: every app is compiled, at version 1 (startup, {@code policy check}). */
    AppHistory NONE = new AppHistory() {
        @Override
        public AppConfig reuse(String appId, String digest) {
            return null;
        }

        @Override
        public long versionFor(String appId, String digest) {
            return 1;
        }
    };

    /** The app compiled earlier from exactly this definition and still in force, or null. */
    AppConfig reuse(String appId, String digest);

    /** The policy version an app gets when its definition has this digest (1 for an app never seen). */
    long versionFor(String appId, String digest);
}
