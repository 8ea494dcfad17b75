package dev.gatehouse.gateway;

import dev.gatehouse.config.AppConfig;
import dev.gatehouse.config.LoginMode;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Outcome;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.StepUpDemands;
import dev.gatehouse.session.Session;
import dev.gatehouse.session.StepUp;
import io.vertx.core.http.HttpHeaders;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Refusals that are answered with a way forward rather than a status: an unauthenticated person on
 * a {@code browser} app (or a browser, by its {@code Accept}, on a {@code both} app) is sent to sign
 * in; a person whose sign-in is too old or too weak for the policy ({@code reauth-required},
 * {@code auth-time-unknown}, {@code acr-*}) is sent back to the IdP with {@code prompt=login} and
 * {@code max_age}, or {@code acr_values}, and returns to the same URL; a bearer client in that case
 * gets 401 {@code insufficient_user_authentication} naming what is needed (RFC 9470).
 * {@code bearer} apps never redirect and never set cookies.
 */
@Singleton
public class BrowserAnswers {
    /** A step-up that comes back still failing within this time is not repeated (no redirect loop). */
    static final long STEP_UP_LOOP_MS = 120_000;

    private final SignInEndpoints signIn;
    private final Answers answers;
    private final Clock clock;

    public BrowserAnswers(SignInEndpoints signIn, Answers answers, Clock clock) {
        this.signIn = signIn;
        this.answers = answers;
        this.clock = clock;
    }

    /** Answers the refusal if it is one of the above; false to let {@link Answers#refuse} answer it. */
    boolean intercept(Exchange ex, Decision decision) {
        AppConfig app = ex.route.app();
        boolean stepUp = needsStepUp(decision);
        boolean bearerCaller = ex.token != null && ex.session == null;
        if (stepUp && bearerCaller) {
            insufficientAuthentication(ex, decision, app.policy().stepUp());
            return true;
        }
        if (!app.browserLogin() || bearerCaller) {
            return false;
        }
        boolean person = app.login() == LoginMode.BROWSER
                || DenyResponder.wantsHtml(ex.request.getHeader(HttpHeaders.ACCEPT));
        if (!person) {
            return false; // an API client on a both app: 401 or 403 as usual
        }
        if (decision.outcome() == Outcome.UNAUTHENTICATED && ex.token == null) {
            signIn.start(ex, signIn.currentUrl(ex), StepUp.NONE);
            return true;
        }
        if (stepUp && ex.session != null) {
            Session s = ex.session;
            if (!s.claimStepUp(clock.millis(), STEP_UP_LOOP_MS)) {
                return false; // the IdP did not give what the policy asks: show the page, not a loop
            }
            signIn.start(ex, signIn.currentUrl(ex), stepUpFor(decision, app.policy().stepUp()));
            return true;
        }
        return false;
    }

    static boolean needsStepUp(Decision d) {
        if (d.allowed() || d.outcome() == Outcome.UNAUTHENTICATED) {
            return false;
        }
        Reason r = d.primaryReason();
        return r == Reason.REAUTH_REQUIRED || r == Reason.AUTH_TIME_UNKNOWN || r == Reason.ACR_UNAUTHORIZED
                || r == Reason.ACR_UNKNOWN;
    }

    static boolean acrReason(Decision d) {
        return d.primaryReason() == Reason.ACR_UNAUTHORIZED || d.primaryReason() == Reason.ACR_UNKNOWN;
    }

    /** What the IdP is asked for: acr values for an acr reason, else a fresh login within max_age. */
    static StepUp stepUpFor(Decision d, StepUpDemands demands) {
        if (acrReason(d) && !demands.acrValues().isEmpty()) {
            return new StepUp(null, -1, String.join(" ", demands.acrValues()));
        }
        return new StepUp("login", demands.maxAuthAgeSeconds() >= 0 ? demands.maxAuthAgeSeconds() : 0, null);
    }

    /** 401 with {@code WWW-Authenticate: Bearer error="insufficient_user_authentication"} (RFC 9470 section 3). */
    private void insufficientAuthentication(Exchange ex, Decision d, StepUpDemands demands) {
        StringBuilder h = new StringBuilder("Bearer realm=\"gatehouse\", error=\"insufficient_user_authentication\", ");
        if (acrReason(d)) {
            h.append("error_description=\"A stronger authentication method is required\"");
            if (!demands.acrValues().isEmpty()) {
                h.append(", acr_values=\"").append(String.join(" ", demands.acrValues()).replace("\"", "")).append('"');
            }
        } else {
            h.append("error_description=\"A more recent authentication is required\"");
            h.append(", max_age=\"").append(Math.max(0, demands.maxAuthAgeSeconds())).append('"');
        }
        ex.request.response().headers().set("WWW-Authenticate", h.toString());
        answers.answer(ex, 401, dev.gatehouse.access.Verdict.UNAUTHENTICATED, d.primaryReason(), false);
    }
}
