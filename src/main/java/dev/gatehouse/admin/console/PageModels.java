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

    /** A reason of a decision: its code, in plain words, and what the person can do. */
    public record ReasonRow(String code, String explanation, String remedy) {
    }

    /**
     * One node of a what-if trace, flattened in document order.
     *
     * @param depth       how deep in the block (0: the block itself), for indentation
     * @param path        the node's path in the policy ({@code allow.and[1].device})
     * @param kind        the operator or criterion
     * @param outcome     {@code true}, {@code false} or {@code unknown}
     * @param reason      the reason code it gives, or ""
     * @param explanation what was compared and how it came out
     */
    public record TraceRow(int depth, String path, String kind, String outcome, String reason, String explanation) {
        /** The indentation class (at most 6 levels are told apart). */
        public String indent() {
            return "depth-" + Math.min(depth, 6);
        }
    }

    /**
     * A what-if answered, worded for people.
     *
     * @param allowed  whether the request would go through
     * @param verdict  {@code Allowed}, or {@code Denied} with what kind of refusal
     * @param policy   which policy decided, in words
     * @param rule     the deciding rule, or null
     * @param reasons  the reasons, the deciding one first
     * @param trace    the per-criterion trace: deny block then allow block
     */
    public record TryResult(boolean allowed, String verdict, String policy, long policyVersion, String rule,
                            List<ReasonRow> reasons, List<TraceRow> trace) {
    }

    /**
     * An app's candidate policy as the shadow page shows it.
     *
     * @param inForce       whether this replica evaluates it on traffic yet
     * @param evaluated     requests it was evaluated on, on this replica
     * @param disagreements requests on which it would have decided otherwise (both directions)
     */
    public record CandidateView(long version, String policy, String author, String at, String comment, boolean inForce,
                                long evaluated, long disagreements, long allowToDeny, long denyToAllow) {
    }

    /** One recent shadow disagreement on this replica. */
    public record DisagreementRow(String at, String user, String method, String path, String live, String candidate,
                                  String reason, long candidateVersion, String requestId) {
    }

    /** One revocation in force. */
    /**
     * The assertion keys as the keys page shows them.
     *
     * @param rotatable whether they are shared through the store (so the page can change them)
     * @param version   the key set's version (the precondition of a change)
     * @param signing   the id of the key that signs
     * @param older     the ids of the other published keys, newest first
     */
    public record KeyView(boolean rotatable, int version, String signing, List<String> older) {
    }

    public record RevocationRow(String id, String kind, String target, String idp, String expires, String reason,
                                String created, String createdBy) {
    }

    /** One recent refused request of a user on this replica. */
    public record DenialRow(String at, String app, String method, String path, int status, String outcome,
                            String code, String explanation, String remedy, String rule, String requestId) {
    }
}
