package dev.freshen.tester;

/**
 * Why a test failed, as every channel shows it: {@code code} the kind of problem as a stable id
 * ({@code PipelineFailed.code}), {@code reason} one line naming the thing, {@code hint} one sentence saying what to do,
 * {@code excerpt} the output that shows it (the app's last lines, the body it answered, the build's end) or null.
 * None of them holds a Java class name, a stack trace or an ISO-8601 duration.
 */
public record Problem(String code, String reason, String hint, String excerpt) {
}
