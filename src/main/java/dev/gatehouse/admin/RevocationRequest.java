package dev.gatehouse.admin;

import dev.gatehouse.config.AppDocument;
import dev.gatehouse.revoke.Revocation;
import dev.gatehouse.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the body of {@code POST /api/v1/revocations}:
 * {@code {"user"|"session"|"device": "...", "idp": "...", "expires": "...", "reason": "..."}}.
 * Exactly one of user, session or device; {@code idp} only with a user, and then a configured IdP
 * (without it the user's {@code sub} is revoked at every IdP); {@code expires} an ISO-8601 instant
 * in the future or a duration from now ({@code 8h}), at most {@link #MAX_LIFETIME} ahead;
 * {@code reason} optional. Every error is reported at once, with its field.
 */
final class RevocationRequest {
    /** A revocation outlives no credential by much; a year is generous and keeps the table bounded. */
    static final Duration MAX_LIFETIME = Duration.ofDays(366);
    static final int MAX_TARGET = 255;
    static final int MAX_REASON = 1000;
    private static final Set<String> FIELDS = Set.of("user", "session", "device", "idp", "expires", "reason");

    private RevocationRequest() {
    }

    /** The revocation the body asks for, with a new id, made at {@code now} by {@code by}. */
    static Revocation read(Map<String, Object> body, Set<String> idps, Instant now, String id, String by,
                           String byIdp) {
        List<AppDocument.Error> errors = new ArrayList<>();
        body.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted()
                .forEach(k -> errors.add(new AppDocument.Error(k, "unknown field '" + k + "'")));
        Revocation.Kind kind = null;
        String target = null;
        for (Revocation.Kind k : Revocation.Kind.values()) {
            if (body.containsKey(k.field())) {
                if (kind != null) {
                    errors.add(new AppDocument.Error(k.field(), "name one of user, session or device, not both "
                            + kind.field() + " and " + k.field()));
                    continue;
                }
                kind = k;
                target = text(body.get(k.field()), k.field(), MAX_TARGET, true, errors);
            }
        }
        if (kind == null) {
            errors.add(new AppDocument.Error("", "name what to revoke: one of user, session or device"));
        }
        String idp = null;
        if (body.containsKey("idp")) {
            idp = text(body.get("idp"), "idp", 64, true, errors);
            if (kind != null && kind != Revocation.Kind.USER) {
                errors.add(new AppDocument.Error("idp", "only a user revocation names an IdP"));
            } else if (idp != null && !idps.contains(idp)) {
                errors.add(new AppDocument.Error("idp", "no IdP '" + idp + "' is configured"));
            }
        }
        Instant expires = expires(body.get("expires"), now, errors);
        String reason = body.containsKey("reason") ? text(body.get("reason"), "reason", MAX_REASON, false, errors) : null;
        if (!errors.isEmpty()) {
            throw new ApiProblem(400, "invalid-revocation", "The revocation is not valid; nothing was saved: "
                    + errors.get(0).path() + (errors.get(0).path().isEmpty() ? "" : ": ") + errors.get(0).message()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "") + ".").withErrors(errors);
        }
        return new Revocation(id, kind, target, idp, expires, reason, now, by, byIdp);
    }

    private static Instant expires(Object v, Instant now, List<AppDocument.Error> errors) {
        if (v == null) {
            errors.add(new AppDocument.Error("expires", "is required: an ISO-8601 instant "
                    + "(2026-12-31T18:00:00Z) or a duration from now (" + Durations.EXAMPLES + ")"));
            return null;
        }
        if (!(v instanceof String s)) {
            errors.add(new AppDocument.Error("expires", "expected a string"));
            return null;
        }
        Instant at;
        Duration d = Durations.parse(s);
        if (d != null) {
            at = now.plus(d);
        } else {
            try {
                at = Instant.parse(s);
            } catch (DateTimeParseException e) {
                errors.add(new AppDocument.Error("expires", "'" + s + "' is neither an ISO-8601 instant "
                        + "(2026-12-31T18:00:00Z) nor a duration (" + Durations.EXAMPLES + ")"));
                return null;
            }
        }
        if (!at.isAfter(now)) {
            errors.add(new AppDocument.Error("expires", "must be in the future"));
            return null;
        }
        if (at.isAfter(now.plus(MAX_LIFETIME))) {
            errors.add(new AppDocument.Error("expires", "at most " + MAX_LIFETIME.toDays() + " days ahead"));
            return null;
        }
        return at;
    }

    private static String text(Object v, String field, int max, boolean required, List<AppDocument.Error> errors) {
        String problem = !(v instanceof String s) ? "expected a string"
                : required && s.isBlank() ? "must not be empty"
                : s.length() > max ? "at most " + max + " characters"
                : s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f) ? "control characters are not allowed" : null;
        if (problem != null) {
            errors.add(new AppDocument.Error(field, problem));
            return null;
        }
        return (String) v;
    }
}
