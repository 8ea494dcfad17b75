package dev.gatehouse.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatehouse.policy.Reason;
import org.junit.jupiter.api.Test;

class DenyPageTest {

    @Test
    void namesTheAppAndEscapesIt() {
        String page = DenyPage.render(403, Reason.REJECT, "wiki<b>", "req-1");
        assertTrue(page.contains("App: <code>wiki&lt;b&gt;</code>"), page);
        assertTrue(page.contains("Request id: <code>req-1</code>"), page);
    }

    @Test
    void theAdminHostIsNamedInWordsNotByItsInternalId() {
        String page = DenyPage.render(403, Reason.REJECT, AdminRoutes.APP_ID, "req-2");
        assertFalse(page.contains(AdminRoutes.APP_ID), page);
        assertTrue(page.contains("the Gatehouse admin console and API"), page);
    }
}
