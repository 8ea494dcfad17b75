package dev.gatehouse.admin.console;

import java.util.List;

/** What the console's templates show: plain values, already worded for people. */
public final class PageModels {
    private PageModels() {
    }

    /**
     * What every page has around its content.
     *
     * @param user      who is signed in ({@code sub})
     * @param idp       the IdP of their token
     * @param nav       the section of the navigation this page is in ({@code apps}, {@code audit})
     * @param token     the form token for this page's forms
     * @param requestId this request's id, to quote when asking for help
     */
    public record Chrome(String user, String idp, String nav, String token, String requestId) {
    }

    /**
     * One line of the apps list.
     *
     * @param policyVersion the policy version in force, or "-" when the app is not in force
     * @param inForce       whether the running proxy enforces it (a stored app the file overrides is not)
     */
    public record AppRow(String id, String host, String pathPrefix, String idp, String login, String policyVersion,
                         String origin, boolean inForce, long allowed, long denied, long unauthenticated) {
    }

    /** One version in an app's history. */
    public record VersionRow(long version, boolean deleted, String author, String at, String comment,
                             boolean latest) {
    }

    /** One change of a diff, values as compact JSON. */
    public record ChangeRow(String path, String op, String from, String to) {
        public boolean hasFrom() {
            return !op.equals("added");
        }

        public boolean hasTo() {
            return !op.equals("removed");
        }

        /** A sign that carries the operation without colour. */
        public String sign() {
            return switch (op) {
                case "added" -> "+";
                case "removed" -> "-";
                default -> "~";
            };
        }
    }

    /** A diff between two versions (0: before the app existed). */
    public record DiffView(String fromLabel, String toLabel, List<ChangeRow> changes) {
    }

    /**
     * Two versions of an app side by side after a concurrent edit.
     *
     * @param theirs the saved document as YAML
     * @param yours  the submitted document as YAML
     */
    public record Conflict(long version, String author, String at, String comment, String theirs, String yours,
                           List<ChangeRow> changes) {
    }

    /** One audit log entry. */
    public record AuditRow(long seq, String at, String actor, String action, String app, String outcome,
                           String detail, String requestId, String clientAddress) {
        /** Whether the attempt succeeded: shown as a word, not only a colour. */
        public boolean ok() {
            return "ok".equals(outcome);
        }
    }

    /** The filter of the audit page, as typed. */
    public record AuditFilter(String app, String actor, String since, String until) {
    }

    /** The result of verifying the audit chain. */
    public record ChainStatus(boolean ok, long entries, String head, Long brokenAt, String problem) {
    }
}
