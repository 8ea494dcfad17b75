package dev.gatehouse.admin.console;

import dev.gatehouse.admin.console.AppForm.FieldError;
import dev.gatehouse.config.AppDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The revoke form of the people page: what to revoke ({@code kind}: user, session or device), its
 * {@code value}, the IdP (users only), {@code expires} and a reason. It turns into the body of
 * {@code POST /api/v1/revocations}, and the API's errors ({@code user}, {@code expires}, ...) go to
 * the fields that hold them.
 */
public final class RevokeForm extends FormErrors {
    public String kind = "user";
    public String value = "";
    public String idp = "";
    public String expires = "8h";
    public String reason = "";

    static RevokeForm of(Form in) {
        RevokeForm f = new RevokeForm();
        f.kind = in.get("kind").trim();
        f.value = in.get("value").trim();
        f.idp = in.get("idp").trim();
        f.expires = in.get("expires").trim();
        f.reason = in.get("reason").trim();
        return f;
    }

    /** The API's request: {@code {<kind>: value, idp?, expires, reason?}} (blank fields left out, as unsent). */
    Map<String, Object> request() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (kind.equals("user") || kind.equals("session") || kind.equals("device")) {
            body.put(kind, value);
        }
        if (!idp.isEmpty()) {
            body.put("idp", idp);
        }
        if (!expires.isEmpty()) {
            body.put("expires", AuditPages.instant(expires));
        }
        if (!reason.isEmpty()) {
            body.put("reason", reason);
        }
        return body;
    }

    /** Puts the API's errors on the fields that hold their paths. */
    void addErrors(List<AppDocument.Error> apiErrors) {
        for (AppDocument.Error e : apiErrors) {
            String field = switch (e.path()) {
                case "user", "session", "device" -> "value";
                case "idp", "expires", "reason" -> e.path();
                default -> "kind";
            };
            errors.add(new FieldError(field, e.path(), e.message()));
        }
    }
}
