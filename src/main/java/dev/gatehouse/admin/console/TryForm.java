package dev.gatehouse.admin.console;

import dev.gatehouse.admin.console.AppForm.FieldError;
import dev.gatehouse.config.AppDocument;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Try it form as a person fills it in: who (subject, email, groups, ...), their device, the
 * request, and which policy to try. It turns into the body {@code POST /api/v1/apps/{id}/evaluate}
 * takes, leaving out every field left blank, so a blank fact is unknown exactly as a claim missing
 * from a token is (and fails closed the same way); an error at an API path ({@code device.compliant})
 * goes to the field that holds it.
 */
public final class TryForm extends FormErrors {
    /** The API's field paths and the form fields that hold them. */
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("identity.sub", "sub"), Map.entry("identity.email", "email"),
            Map.entry("identity.email_verified", "email-verified"), Map.entry("identity.groups", "groups"),
            Map.entry("identity.roles", "roles"), Map.entry("identity.amr", "amr"), Map.entry("identity.acr", "acr"),
            Map.entry("identity.auth_time", "auth-time"), Map.entry("identity", "sub"),
            Map.entry("device.id", "device-id"), Map.entry("device.compliant", "compliant"),
            Map.entry("device.managed", "managed"), Map.entry("device.trust", "trust"),
            Map.entry("device.posture_at", "posture-at"), Map.entry("device", "device-id"),
            Map.entry("request.method", "method"), Map.entry("request.path", "path"),
            Map.entry("request.source_address", "source"), Map.entry("request.time", "time"),
            Map.entry("request", "method"));

    public String sub = "";
    public String email = "";
    public String emailVerified = "";
    public String groups = "";
    public String roles = "";
    public String amr = "";
    public String acr = "";
    public String authTime = "";
    public String deviceId = "";
    public String compliant = "";
    public String managed = "";
    public String trust = "";
    public String postureAt = "";
    public String method = "GET";
    public String path = "";
    public String source = "";
    public String time = "";
    /** {@code live}, {@code candidate} or {@code edited}. */
    public String policySource = "live";
    public String policy = "";

    /** The form as submitted. */
    static TryForm of(Form in) {
        TryForm f = new TryForm();
        f.sub = in.get("sub").trim();
        f.email = in.get("email").trim();
        f.emailVerified = in.get("email-verified").trim();
        f.groups = in.get("groups").trim();
        f.roles = in.get("roles").trim();
        f.amr = in.get("amr").trim();
        f.acr = in.get("acr").trim();
        f.authTime = in.get("auth-time").trim();
        f.deviceId = in.get("device-id").trim();
        f.compliant = in.get("compliant").trim();
        f.managed = in.get("managed").trim();
        f.trust = in.get("trust").trim();
        f.postureAt = in.get("posture-at").trim();
        f.method = in.get("method").trim();
        f.path = in.get("path").trim();
        f.source = in.get("source").trim();
        f.time = in.get("time").trim();
        f.policySource = in.get("policy-source").trim();
        f.policy = in.get("policy");
        return f;
    }

    /**
     * The evaluate request ({@code identity}, {@code device}, {@code request}, {@code policy}), or
     * null when the form has errors of its own (the edited policy is not YAML, no source chosen).
     */
    Map<String, Object> request() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> identity = new LinkedHashMap<>();
        putIfSet(identity, "sub", sub);
        putIfSet(identity, "email", email);
        putBoolean(identity, "email_verified", emailVerified, "email-verified");
        putList(identity, "groups", groups);
        putList(identity, "roles", roles);
        putList(identity, "amr", amr);
        putIfSet(identity, "acr", acr);
        putIfSet(identity, "auth_time", AuditPages.instant(authTime));
        Map<String, Object> device = new LinkedHashMap<>();
        putIfSet(device, "id", deviceId);
        putBoolean(device, "compliant", compliant, "compliant");
        putBoolean(device, "managed", managed, "managed");
        putIfSet(device, "trust", trust);
        putIfSet(device, "posture_at", AuditPages.instant(postureAt));
        Map<String, Object> request = new LinkedHashMap<>();
        putIfSet(request, "method", method);
        putIfSet(request, "path", path);
        putIfSet(request, "source_address", source);
        putIfSet(request, "time", AuditPages.instant(time));
        if (!identity.isEmpty()) {
            body.put("identity", identity);
        }
        if (!device.isEmpty()) {
            body.put("device", device);
        }
        if (!request.isEmpty()) {
            body.put("request", request);
        }
        switch (policySource) {
            case "live" -> {
                // no policy: the live one
            }
            case "candidate" -> body.put("policy", "candidate");
            case "edited" -> {
                try {
                    Object tree = YamlText.read(policy);
                    if (tree == null) {
                        errors.add(new FieldError("policy", "policy", "type the policy to try, or choose the live one"));
                    } else if (!(tree instanceof Map<?, ?>)) {
                        errors.add(new FieldError("policy", "policy", "expected allow and deny blocks (allow: ...)"));
                    } else {
                        body.put("policy", tree);
                    }
                } catch (YamlText.Unreadable e) {
                    errors.add(new FieldError("policy", "policy", e.getMessage()));
                }
            }
            default -> errors.add(new FieldError("policy-source", "", "choose which policy to try"));
        }
        return errors.isEmpty() ? body : null;
    }

    /** Puts the API's errors on the fields that hold their paths. */
    void addErrors(List<AppDocument.Error> apiErrors) {
        for (AppDocument.Error e : apiErrors) {
            errors.add(new FieldError(fieldOf(e.path()), e.path(), e.message()));
        }
    }

    /** Puts an error without a path on a field. */
    void addError(String field, String message) {
        errors.add(new FieldError(field, "", message));
    }

    /** The field that holds an API path: the policy's for {@code policy...}, else by the table. */
    static String fieldOf(String path) {
        if (path.startsWith("policy")) {
            return "policy";
        }
        String f = FIELDS.get(path);
        if (f == null) {
            // identity.claims.x, an unknown field in an object: the object's first field
            String head = path.split("\\.", 2)[0];
            f = FIELDS.getOrDefault(head, "policy-source");
        }
        return f;
    }

    /** true / false as JSON booleans; blank: left out (unknown). */
    private void putBoolean(Map<String, Object> into, String key, String value, String field) {
        switch (value) {
            case "" -> {
            }
            case "true" -> into.put(key, Boolean.TRUE);
            case "false" -> into.put(key, Boolean.FALSE);
            default -> errors.add(new FieldError(field, "", "choose yes, no or not known"));
        }
    }

    /** A list typed as {@code a, b} (commas or new lines); blank: left out (unknown). */
    private static void putList(Map<String, Object> into, String key, String value) {
        if (!value.isEmpty()) {
            into.put(key, Arrays.stream(value.split("[,\\n]")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
    }
}
