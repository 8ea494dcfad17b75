package dev.gatehouse.cli;

/**
 * One line of {@code gatehouse doctor}: what was checked, how it went, and in plain words what it
 * means for requests.
 *
 * @param severity OK, WARN (works, but worth knowing) or FAIL (requests would break)
 * @param subject  what was checked, e.g. {@code idp corp} or {@code upstream wiki}
 * @param message  what was found and what it means
 */
record Finding(Severity severity, String subject, String message) {
    enum Severity { OK, WARN, FAIL }

    static Finding ok(String subject, String message) {
        return new Finding(Severity.OK, subject, message);
    }

    static Finding warn(String subject, String message) {
        return new Finding(Severity.WARN, subject, message);
    }

    static Finding fail(String subject, String message) {
        return new Finding(Severity.FAIL, subject, message);
    }

    String line() {
        return String.format("%-4s %s: %s", severity, subject, message);
    }
}
