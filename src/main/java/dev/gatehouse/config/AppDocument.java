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
     */
    public record Result(AppConfig app, List<Error> errors) {
        public Result {
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return app != null;
        }
    }

    /**
     * @param document      the app as a JSON-like tree (Map, List, String, Number, Boolean)
     * @param idps          the IdPs an app may name, by id
     * @param policyVersion the version the compiled policy carries
     */
    public static Result read(Object document, Map<String, IdpConfig> idps, long policyVersion) {
        List<String> errors = new ArrayList<>();
        AppConfig app = new AppSectionReader(idps.keySet(), errors, policyVersion).readSingle(document);
        if (!errors.isEmpty()) {
            return new Result(null, errors.stream().map(AppDocument::split).toList());
        }
        return new Result(app, List.of());
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
