package dev.freshen.tester;

/**
 * How the test application's container is: running, or ended with {@code exitCode} ({@code oomKilled} when the
 * kernel killed it for lack of memory); {@code startError} is the engine's reason when the container could not be
 * started at all (its command does not exist or may not run), else null.
 */
public record AppState(boolean running, int exitCode, boolean oomKilled, String startError) {

    public static AppState isRunning() {
        return new AppState(true, 0, false, null);
    }

    public static AppState exited(int exitCode) {
        return new AppState(false, exitCode, false, null);
    }
}
