package dev.gatehouse.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validates one app document outside a config file, with the same reader and policy compiler as
 * the YAML loader, so the admin API accepts exactly what the file accepts and reports the same
 * errors. Paths are relative to the document: {@code policy.allow.and[1].device}, {@code host};
 * a fault of the document as a whole has the empty path.
 */
public final class AppDocument {
    private AppDocument() {
    }

    /**
     * One validation error.
     *
     * @param path    where in the document ("" for the document itself)
     * @param message what is wrong
     */
    public record Error(String path, String message) {
    }

    /**
     * The outcome: an app, or every error found, never both.
     *
     * @param app    the validated app, or null
     * @param errors the errors, empty when {@code app} is set
     * @param digest the app's {@link AppDigest} (document and IdP), null when {@code app} is
     */
    public record Result(AppConfig app, List<Error> errors, String digest) {
        public Result {
            errors = List.copyOf(errors);
        }

        /** A result without a digest. */
        public Result(AppConfig app, List<Error> errors) {
            this(app, errors, null);
        }

        public boolean ok() {
            return app != null;
        }
    }

    /**
     * Validates a document (its policy compiled at version 1): what the admin API checks before it
     * stores anything.
     *
     * @param document the app as a JSON-like tree (Map, List, String, Number, Boolean)
     * @param idps     the IdPs an app may name, by id
     */
    public static Result read(Object document, Map<String, IdpConfig> idps) {
        return read(document, idps, AppHistory.NONE);
    }

    /**
     * Validates a document the way a config load reads an app: the app {@code history} compiled
     * earlier from the same definition ({@link AppDigest}) is reused as it is; a new or changed one
     * gets the policy version {@code history} gives it (its next one), as an app of the file does.
     *
     * @param document the app as a JSON-like tree (Map, List, String, Number, Boolean)
     * @param idps     the IdPs an app may name, by id
     * @param history  the history of the config the app is to be published with
     */
    public static Result read(Object document, Map<String, IdpConfig> idps, AppHistory history) {
        List<String> errors = new ArrayList<>();
        String[] digest = new String[1];
        AppConfig app = new AppSectionReader(idps, history, errors).readSingle(document, digest);
        if (!errors.isEmpty()) {
            return new Result(null, errors.stream().map(AppDocument::split).toList());
        }
        return new Result(app, List.of(), digest[0]);
    }

    /**
     * The route an app claims, as the loader compares them for duplicates: host and path prefix
     * without a trailing slash, both lower case (prefixes route ignoring letter case).
     */
    public static String routeKey(AppConfig app) {
        return app.host().toLowerCase(java.util.Locale.ROOT) + " "
                + app.pathPrefix().toLowerCase(java.util.Locale.ROOT);
    }

    /** The reader's errors read {@code path: message}; a path never contains ": ". */
    static Error split(String error) {
        int i = error.indexOf(": ");
        return i < 0 ? new Error("", error) : new Error(error.substring(0, i), error.substring(i + 2));
    }
}
