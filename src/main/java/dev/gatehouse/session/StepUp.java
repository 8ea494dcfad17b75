package dev.gatehouse.session;

/**
 * What a sign-in must prove beyond who the person is: a fresh login ({@code prompt=login},
 * {@code max_age}) or a stronger method ({@code acr_values}); from the policy criterion that failed.
 *
 * @param prompt        {@code login} to make the IdP ask again, or null
 * @param maxAgeSeconds the {@code max_age} parameter, or -1
 * @param acrValues     space-separated {@code acr_values}, or null
 */
public record StepUp(String prompt, long maxAgeSeconds, String acrValues) {
    /** A plain sign-in. */
    public static final StepUp NONE = new StepUp(null, -1, null);
    /** "Sign in as someone else": the IdP must show its login form. */
    public static final StepUp SWITCH_USER = new StepUp("login", -1, null);

    /** Whether this asks anything beyond a plain sign-in. */
    public boolean any() {
        return prompt != null || maxAgeSeconds >= 0 || acrValues != null;
    }
}
