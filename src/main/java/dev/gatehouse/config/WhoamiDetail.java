package dev.gatehouse.config;

/**
 * How much {@code /.gatehouse/whoami?path=...} explains about an app's decisions (per app,
 * {@code whoami:}). A decision's rule path and policy version describe the policy itself; an app
 * whose policy is not everyone's business keeps them to itself.
 */
public enum WhoamiDetail {
    /** The caller's identity, the outcome and the reasons in plain words (default). */
    REASONS,
    /** Also the rule that decided and the policy version: for apps whose policy is no secret. */
    FULL,
    /** whoami answers 404 on this app's hosts: nothing is explained. */
    OFF;

    static WhoamiDetail parse(String value) {
        return switch (value) {
            case "reasons" -> REASONS;
            case "full" -> FULL;
            case "off" -> OFF;
            default -> null;
        };
    }
}
