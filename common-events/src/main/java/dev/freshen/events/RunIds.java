package dev.freshen.events;

import dev.freshen.events.image.Digest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * How run ids are made. A run triggered by a base update gets an id derived from what it builds
 * (image id, new base digests, descriptor+Dockerfile content hash), so the same change seen twice is the same
 * run. A forced run gets a fresh random id. A change of an image's watch state gets an id derived from the change
 * ({@link #forWatchChange}).
 */
public final class RunIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {
    }

    public static String forBaseUpdate(String imageId, Collection<Digest> baseDigests, String contentHash) {
        String material = imageId + "\n"
                + baseDigests.stream().map(Digest::toString).sorted().collect(Collectors.joining(",")) + "\n"
                + contentHash;
        return "b-" + Digest.sha256Of(material.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    /**
     * The id of a change of an image's watch state ({@link ImageWatchChanged}): {@code w-} and 24 hex characters of
     * sha256 over the image id, the new state, the problems (their codes, files, fields, lines and messages, in
     * order) and the id of the change before it ({@code null} when there was none). The same change written twice
     * (two watchers, a retried send) has the same id, so it is announced once; the same breakage again after a fix
     * follows another change, so it has another id and is announced again.
     */
    public static String forWatchChange(String imageId, WatchState state, java.util.List<ImageWatchChanged.Problem> problems,
                                        String previousChangeId) {
        StringBuilder material = new StringBuilder(imageId).append('\n').append(state.id()).append('\n');
        for (ImageWatchChanged.Problem p : problems) {
            material.append(p.code()).append('\t').append(p.file()).append('\t').append(p.field()).append('\t')
                    .append(p.line()).append('\t').append(p.message()).append('\n');
        }
        material.append(previousChangeId == null ? "-" : previousChangeId);
        return "w-" + Digest.sha256Of(material.toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    /**
     * The id of a streak of failed checks of an image ({@link ChecksFailed} and the {@link ChecksRecovered} that ends
     * it): {@code c-} and 24 hex characters of sha256 over the image id and the time of the streak's first failed
     * check. The same announcement written twice (a retried send) has the same id, so it is announced once; the next
     * streak starts at another time, so it has another id.
     */
    public static String forCheckStreak(String imageId, java.time.Instant failingSince) {
        String material = imageId + "\n" + failingSince;
        return "c-" + Digest.sha256Of(material.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 24);
    }

    public static String forced() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "f-" + HexFormat.of().formatHex(bytes);
    }

    /** A rollback's id: {@code r-} and 24 random hex characters (each request is its own rollback). */
    public static String rollback() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "r-" + HexFormat.of().formatHex(bytes);
    }
}
