/**
 * The admin console: server-rendered pages (Qute) on the admin host under {@code /console/},
 * behind the same admin policy as the API.
 *
 * <p>Rule of this package: a page only renders; every read and write is one call to the admin
 * API's service layer ({@code AppCatalog}, {@code AppService}, {@code AuditService}, {@code WhatIf},
 * {@code CandidateService}, {@code RevocationService}), so the
 * console checks, stores and audits exactly as the API does; every write is a form POST that
 * {@link FormGuard} has checked (same origin, a valid form token); no page needs JavaScript.
 */
package dev.gatehouse.admin.console;
