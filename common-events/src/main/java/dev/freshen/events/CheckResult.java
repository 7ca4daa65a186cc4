package dev.freshen.events;

/** The outcome of one policy check or test step run against a candidate. */
public record CheckResult(String name, boolean passed, String detail) {

    public CheckResult {
        Require.present(name, "CheckResult", "name");
    }
}
