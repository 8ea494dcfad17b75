package dev.gatehouse.admin.console;

import dev.gatehouse.config.AppDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The app form of the console as a person fills it in: the common settings as fields, the policy
 * and every other setting as YAML, a comment and the version the form was read at. It turns into
 * the app document the API takes, and an error at a document path ({@code policy.allow.and[1]})
 * into an error at the field that holds it.
 */
public final class AppForm extends FormErrors {
    /** The document keys that have a field of their own; all others live in "other settings". */
    static final Set<String> FIELDS = Set.of("id", "host", "path-prefix", "upstream", "idp", "login", "policy");

    public String id = "";
    public String host = "";
    public String pathPrefix = "";
    public String upstream = "";
    public String idp = "";
    public String login = "";
    public String policy = "";
    public String other = "";
    public String comment = "";
    /** The version the form was read at ("" for a new app). */
    public String version = "";
    /** The button pressed: {@code check} or {@code save}. */
    public String action = "";

    /**
     * An error shown at a field.
     *
     * @param field   the form field (its element id is {@code f-<field>})
     * @param path    the document path, as the API reports it ("" for the whole document)
     * @param message what is wrong
     */
    public record FieldError(String field, String path, String message) {
        /** {@code path: message}, as {@code /api/v1/validate} reports it. */
        public String text() {
            return path.isEmpty() ? message : path + ": " + message;
        }
    }

    /** The form of a stored or file app. */
    static AppForm of(String id, Map<String, Object> doc, long version) {
        AppForm f = new AppForm();
        f.id = id;
        f.host = text(doc.get("host"));
        f.pathPrefix = text(doc.get("path-prefix"));
        f.upstream = text(doc.get("upstream"));
        f.idp = text(doc.get("idp"));
        f.login = text(doc.get("login"));
        f.policy = YamlText.write(doc.get("policy"));
        Map<String, Object> rest = new LinkedHashMap<>(doc);
        rest.keySet().removeAll(FIELDS);
        f.other = rest.isEmpty() ? "" : YamlText.write(rest);
        f.version = Long.toString(version);
        return f;
    }

    /** The form as submitted. */
    static AppForm of(Form in) {
        AppForm f = new AppForm();
        f.id = in.get("id").trim();
        f.host = in.get("host").trim();
        f.pathPrefix = in.get("path-prefix").trim();
        f.upstream = in.get("upstream").trim();
        f.idp = in.get("idp").trim();
        f.login = in.get("login").trim();
        f.policy = in.get("policy");
        f.other = in.get("other");
        f.comment = in.get("comment").trim();
        f.version = in.get("version").trim();
        f.action = in.get("action").trim();
        return f;
    }

    /**
     * The app document (with {@code comment}), or null when a YAML part cannot be read (the
     * errors are then on the form).
     */
    Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        Object rest = yaml("other", other);
        if (rest instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (FIELDS.contains(String.valueOf(k))) {
                    errors.add(new FieldError("other", String.valueOf(k), "has its own field above; set it there"));
                } else {
                    doc.put(String.valueOf(k), v);
                }
            });
        } else if (rest != null) {
            errors.add(new FieldError("other", "", "other settings must be YAML keys and values (host: ...)"));
        }
        Object pol = yaml("policy", policy);
        putIfSet(doc, "id", id);
        putIfSet(doc, "host", host);
        putIfSet(doc, "path-prefix", pathPrefix);
        putIfSet(doc, "upstream", upstream);
        putIfSet(doc, "idp", idp);
        putIfSet(doc, "login", login);
        if (pol != null) {
            doc.put("policy", pol);
        }
        if (!comment.isEmpty()) {
            doc.put("comment", comment);
        }
        return errors.isEmpty() ? doc : null;
    }

    private Object yaml(String field, String text) {
        try {
            return YamlText.read(text);
        } catch (YamlText.Unreadable e) {
            errors.add(new FieldError(field, field.equals("policy") ? "policy" : "", e.getMessage()));
            return null;
        }
    }

    /** Puts the API's errors on the fields that hold their paths. */
    void addErrors(List<AppDocument.Error> apiErrors) {
        for (AppDocument.Error e : apiErrors) {
            errors.add(new FieldError(fieldOf(e.path()), e.path(), e.message()));
        }
    }

    /** Puts an error that has no path on the form as a whole. */
    void addError(String field, String message) {
        errors.add(new FieldError(field, "", message));
    }

    /** The field that holds a document path: its first key when that has a field, else "other". */
    static String fieldOf(String path) {
        String head = path.split("[.\\[]", 2)[0];
        return FIELDS.contains(head) || head.equals("comment") ? head : "other";
    }

    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }
}
