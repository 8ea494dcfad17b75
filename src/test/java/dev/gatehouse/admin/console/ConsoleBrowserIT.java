package dev.gatehouse.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Chromium;
import dev.gatehouse.testing.ConsoleBrowserResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.KeycloakBrowserResource;
import dev.gatehouse.testing.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An admin using the console in a real browser (headless Chromium, Selenium) in front of the
 * packaged jar, signed in at the real Keycloak ({@link KeycloakServer}) as ada, a member of the
 * group the admin policy admits ({@link ConsoleBrowserResource}). The walk is one person's session,
 * step by step in the order a person would click, every step a method of its own: sign in and land
 * on the apps list; add an app with the form; break its policy (unreadable YAML, an unknown field)
 * and see the error at its place, fix it and save with a comment; compare two versions in the
 * history and roll back through the confirmation; edit in two tabs at once and see the conflict
 * view; read the audit log with its chain status. Apart from the walk, carol (an engineer, not an
 * admin) gets the plain-words deny page. Nothing is done over HTTP behind the browser's back.
 * Screenshots of every page: {@code target/screenshots/console-*.png}. Skipped with
 * {@code -DskipKeycloak}.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = ConsoleBrowserResource.class, restrictToAnnotatedClass = true)
@DisabledIfSystemProperty(named = "gatehouse.skip-keycloak", matches = "true")
class ConsoleBrowserIT {
    static final String ADMIN_HOST = "admin.localhost";
    static final String APP = "orders";
    /** Page loads and sign-in round trips on a loaded machine: generous, and polled. */
    static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeEach
    void pointKeycloakAtThisGatehouse() {
        // the redirect URLs of the Keycloak client follow the jar's port; the same hosts as
        // BrowserIT's, so whichever class runs last leaves the client right for both
        KeycloakServer.get().pointClientAt(Http.port(), KeycloakBrowserResource.HOSTS);
    }

    @Test
    void anAdminWalksThroughTheConsole() {
        try (Chromium b = new Chromium()) {
            signInAndLandOnTheAppsList(b);
            addAnAppWithTheForm(b);
            breakThePolicyAndSeeTheErrorAtItsPlace(b);
            fixThePolicyAndSaveWithAComment(b);
            compareTwoVersionsInTheHistory(b);
            rollBackWithTheConfirmation(b);
            tryTheLivePolicyForTwoPeople(b);
            revokeADeviceAndWithdrawIt(b);
            editInTwoTabsAndSeeTheConflict(b);
            readTheAuditLogWithItsChainStatus(b);
        }
    }

    @Test
    void someoneWhoIsNotAnAdminGetsThePlainWordsDenyPage() {
        try (Chromium b = new Chromium()) {
            b.open(console("/console/apps"));
            b.await(WAIT, x -> x.url().startsWith(KeycloakServer.get().issuer()), "redirected to Keycloak");
            b.signInAtKeycloak("carol", KeycloakServer.password("carol"));
            b.await(WAIT, x -> x.url().equals(console("/console/apps")), "back at the console URL");
            String page = b.pageText();
            b.screenshot("console-forbidden");
            assertThat(page).contains("Access denied").contains("carol@corp.example").contains("Sign in as someone else");
            assertThat(b.driver().findElements(By.cssSelector("nav[aria-label=Console]"))).as("no console").isEmpty();
            assertThat(page).doesNotContain("Add an app").doesNotContain("wiki.localhost");
        }
    }

    // ---- the walk, in order ----

    private void signInAndLandOnTheAppsList(Chromium b) {
        b.open(console("/console"));
        b.await(WAIT, x -> x.url().startsWith(KeycloakServer.get().issuer()), "redirected to Keycloak");
        b.screenshot("console-sign-in");
        b.signInAtKeycloak("ada", KeycloakServer.password("ada"));
        b.await(WAIT, x -> x.url().equals(console("/console/apps")), "on the apps list after signing in");
        assertThat(heading(b)).isEqualTo("Apps");
        // who is signed in, in words a person knows (the audit log records the subject)
        assertThat(b.driver().findElement(By.cssSelector("p.who")).getText())
                .isEqualTo("Signed in as ada@corp.example (IdP corp)");
        assertThat(b.pageText()).contains("wiki.localhost")
                .contains("config file (read-only here)");
        b.screenshot("console-apps");
    }

    private void addAnAppWithTheForm(Chromium b) {
        click(b, By.linkText("Add an app"));
        assertThat(heading(b)).isEqualTo("Add an app");
        type(b, "f-id", APP);
        type(b, "f-host", APP + ".localhost");
        type(b, "f-upstream", KeycloakBrowserResource.apps().url() + "/" + APP);
        new Select(b.driver().findElement(By.id("f-idp"))).selectByValue("corp");
        new Select(b.driver().findElement(By.id("f-login"))).selectByValue("browser");
        type(b, "f-policy", "allow:\n  groups: { has: engineering }\n");
        type(b, "f-comment", "orders for engineering");
        b.screenshot("console-app-new");
        click(b, saveButton());
        assertSavedAs(b, 1);
        b.screenshot("console-app-added");
        click(b, By.linkText("Apps"));
        assertThat(b.driver().findElement(By.linkText(APP)).isDisplayed()).isTrue();
        click(b, By.linkText(APP));
        assertThat(heading(b)).isEqualTo("Edit app " + APP);
    }

    private void breakThePolicyAndSeeTheErrorAtItsPlace(Chromium b) {
        // YAML that cannot be read: refused before anything is checked, the error at the policy field
        type(b, "f-policy", "allow:\n  groups: { has: engineering\n");
        click(b, checkButton());
        assertThat(policyError(b)).startsWith("Error: policy:");
        assertThat(b.text("error-summary")).contains("There is a problem: nothing was saved");
        b.screenshot("console-policy-unreadable");
        // an unknown field: the live check (htmx, as the person types) names its place ...
        type(b, "f-policy", "allow:\n  groups: { has: engineering }\n  colour: blue\n");
        b.await(WAIT, x -> x.text("live-check").contains("colour"), "the live check names the unknown field");
        assertThat(b.text("live-check")).contains("policy.allow");
        b.screenshot("console-policy-live-check");
        // ... and so does the save, which is refused
        click(b, saveButton());
        assertThat(policyError(b)).contains("policy.allow").contains("colour");
        assertThat(b.driver().findElement(By.id("f-policy")).getAttribute("aria-invalid")).isEqualTo("true");
        b.screenshot("console-policy-unknown-field");
    }

    private void fixThePolicyAndSaveWithAComment(Chromium b) {
        type(b, "f-policy", "allow:\n  groups: { has: sales }\n");
        type(b, "f-comment", "sales takes the orders over");
        click(b, saveButton());
        assertSavedAs(b, 2);
        assertThat(b.driver().findElement(By.id("f-policy")).getAttribute("value")).contains("sales")
                .doesNotContain("engineering");
        b.screenshot("console-policy-saved");
    }

    private void compareTwoVersionsInTheHistory(Chromium b) {
        click(b, By.linkText("History and roll back"));
        assertThat(heading(b)).isEqualTo("History of app " + APP);
        assertThat(b.pageText()).contains("orders for engineering").contains("sales takes the orders over");
        click(b, By.id("from-1"));
        click(b, By.id("to-2"));
        click(b, By.xpath("//button[normalize-space()='Compare']"));
        b.await(WAIT, x -> x.url().contains("from=1") && x.url().contains("to=2"), "the diff of versions 1 and 2");
        WebElement diff = b.driver().findElement(By.cssSelector("table.diff"));
        assertThat(diff.findElement(By.tagName("caption")).getText())
                .isEqualTo("Changes from version 1 to version 2");
        assertThat(diff.getText()).contains("policy.allow.groups.has").contains("\"engineering\"")
                .contains("\"sales\"");
        b.screenshot("console-history-diff");
    }

    private void rollBackWithTheConfirmation(Chromium b) {
        click(b, By.linkText("Roll back to version 1"));
        assertThat(heading(b)).isEqualTo("Roll back app " + APP + " to version 1?");
        assertThat(b.driver().findElement(By.cssSelector("table.diff")).getText()).contains("\"sales\"")
                .contains("\"engineering\"");
        b.screenshot("console-rollback-confirm");
        type(b, "f-comment", "engineering again");
        click(b, By.xpath("//button[normalize-space()='Roll back to version 1']"));
        b.await(WAIT, x -> x.url().contains("rolledback=1"), "back on the history after rolling back");
        assertThat(b.pageText()).contains("Rolled back: version 3 has the content of version 1");
        assertThat(b.driver().findElement(By.xpath("//tbody/tr[1]/th")).getText()).isEqualTo("3 (current)");
        b.screenshot("console-rolled-back");
        click(b, By.linkText("Back to the app"));
        assertThat(b.driver().findElement(By.id("f-policy")).getAttribute("value")).contains("engineering");
    }

    /** Orders is at version 3 ("allow: groups: {has: engineering}"): an engineer yes, sales no. */
    private void tryTheLivePolicyForTwoPeople(Chromium b) {
        b.open(console("/console/apps/" + APP));
        click(b, By.linkText("Try it"));
        assertThat(heading(b)).contains("Try");
        type(b, "f-sub", "bob");
        type(b, "f-groups", "engineering");
        type(b, "f-method", "GET");
        type(b, "f-path", "/reports");
        type(b, "f-source", "10.0.0.7");
        submitTry(b);
        b.await(WAIT, x -> resultText(x).contains("Allowed"), "the what-if answer for an engineer");
        showResult(b);
        b.screenshot("console-try-allowed");
        type(b, "f-groups", "sales");
        submitTry(b);
        b.await(WAIT, x -> resultText(x).contains("Denied"), "the what-if answer for sales");
        String result = resultText(b);
        // the reasons and the per-criterion trace, in words
        assertThat(result).contains("groups").contains("engineering");
        assertThat(b.driver().findElements(By.cssSelector("#try-result table tbody tr"))).isNotEmpty();
        showResult(b);
        b.screenshot("console-try-denied");
    }

    /** Revoke a lost laptop until tomorrow, see it in force, then withdraw it after confirming. */
    private void revokeADeviceAndWithdrawIt(Chromium b) {
        click(b, By.linkText("People and devices"));
        assertThat(heading(b)).isEqualTo("People and devices");
        new Select(b.driver().findElement(By.id("f-kind"))).selectByValue("device");
        type(b, "f-value", "laptop-lost-17");
        type(b, "f-expires", "1d");
        type(b, "f-reason", "reported lost");
        b.screenshot("console-people");
        click(b, By.id("revoke-submit"));
        b.await(WAIT, x -> x.driver().findElement(By.id("revocations")).getText().contains("laptop-lost-17"),
                "the revocation listed as in force");
        assertThat(b.driver().findElement(By.id("revocations")).getText()).contains("reported lost");
        b.screenshot("console-people-revoked");
        click(b, By.partialLinkText("Withdraw"));
        b.screenshot("console-people-withdraw-confirm");
        click(b, By.id("withdraw-confirm"));
        b.await(WAIT, x -> !x.driver().findElement(By.id("revocations")).getText().contains("laptop-lost-17"),
                "the revocation withdrawn");
    }

    /** Submits the what-if form: with htmx only the result region changes, without it the page. */
    private static void submitTry(Chromium b) {
        b.driver().findElement(By.id("try-submit")).click();
    }

    /** Scrolls the answer into the viewport, for the screenshot. */
    private static void showResult(Chromium b) {
        ((JavascriptExecutor) b.driver()).executeScript("document.getElementById('try-result').scrollIntoView()");
    }

    private static String resultText(Chromium b) {
        var regions = b.driver().findElements(By.id("try-result"));
        return regions.isEmpty() ? "" : regions.get(0).getText();
    }

    private void editInTwoTabsAndSeeTheConflict(Chromium b) {
        String editor = console("/console/apps/" + APP);
        String first = b.driver().getWindowHandle();
        b.open(editor);
        String second = b.newTab();
        b.open(editor);
        // the second tab saves first ...
        type(b, "f-policy", "allow:\n  groups: { has: sales }\n");
        type(b, "f-comment", "second tab");
        click(b, saveButton());
        assertSavedAs(b, 4);
        // ... then the first, opened at version 3, saves over it
        b.switchTo(first);
        type(b, "f-policy", "allow:\n  authenticated_user: true\n");
        type(b, "f-comment", "first tab");
        click(b, saveButton());
        WebElement conflict = b.driver().findElement(By.cssSelector("section.conflict"));
        assertThat(conflict.getText()).contains("Someone saved this app while you were editing it")
                .contains("Saved: version 4").contains("Yours: not saved").contains("second tab");
        var sides = conflict.findElements(By.cssSelector("pre.yaml"));
        assertThat(sides).hasSize(2);
        assertThat(sides.get(0).getText()).contains("sales");
        assertThat(sides.get(1).getText()).contains("authenticated_user");
        b.screenshot("console-conflict");
        // keeping mine: the form now carries version 4, so saving again replaces it
        click(b, saveButton());
        assertSavedAs(b, 5);
        b.switchTo(second);
        b.driver().close();
        b.switchTo(first);
    }

    private void readTheAuditLogWithItsChainStatus(Chromium b) {
        click(b, By.linkText("Audit log"));
        assertThat(heading(b)).isEqualTo("Audit log");
        assertThat(b.driver().findElement(By.cssSelector("section.chain")).getText()).contains("Intact");
        String entries = b.driver().findElement(By.tagName("table")).getText();
        assertThat(entries).contains("app.create").contains("app.replace").contains("app.rollback")
                .contains("orders for engineering").contains("engineering again");
        b.screenshot("console-audit");
    }

    // ---- what a person does on any page ----

    static String console(String path) {
        return "http://" + ADMIN_HOST + ":" + Http.port() + path;
    }

    private static String heading(Chromium b) {
        return b.driver().findElement(By.tagName("h1")).getText();
    }

    /** Replaces what a field holds by typing (the keystrokes are what the live check listens to). */
    private static void type(Chromium b, String id, String text) {
        WebElement field = b.driver().findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Clicks, and when the click leaves the page, waits until the next one is there. */
    private static void click(Chromium b, By what) {
        WebElement page = b.driver().findElement(By.tagName("html"));
        WebElement target = b.driver().findElement(what);
        boolean navigates = !"radio".equals(target.getAttribute("type"));
        target.click();
        if (navigates) {
            new WebDriverWait(b.driver(), WAIT, Duration.ofMillis(50)).until(ExpectedConditions.stalenessOf(page));
            b.await(WAIT, x -> "complete".equals(((JavascriptExecutor) x.driver()).executeScript("return document.readyState")),
                    "the next page loaded");
        }
    }

    private static By saveButton() {
        return By.cssSelector("button[name=action][value=save]");
    }

    private static By checkButton() {
        return By.cssSelector("button[name=action][value=check]");
    }

    private static String policyError(Chromium b) {
        String text = b.text("f-policy-err");
        assertThat(text).as("an error at the policy field").isNotNull();
        return text;
    }

    private static void assertSavedAs(Chromium b, long version) {
        b.await(WAIT, x -> x.url().equals(console("/console/apps/" + APP + "?saved=" + version)),
                "saved as version " + version);
        assertThat(b.pageText()).contains("Saved as version " + version + ".");
    }
}
