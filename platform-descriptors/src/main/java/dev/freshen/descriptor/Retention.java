package dev.freshen.descriptor;

/**
 * How many versions of a platform image stay in its target repository: after each publish the publisher deletes this
 * image's versions beyond the newest {@code keepVersions} (version order, {@code <tagPrefix>-x.y.z}, not push time),
 * except a version whose image another tag still names (a moving tag such as {@code latest}, another image's tag). No
 * retention in the descriptor: every version is kept.
 *
 * @param keepVersions how many of the newest versions to keep, at least 1
 */
public record Retention(int keepVersions) {

    public Retention {
        checkKeepVersions(keepVersions);
    }

    static void checkKeepVersions(int keepVersions) {
        if (keepVersions < 1) {
            throw new InvalidField("retention.keepVersions", "must be at least 1 (the version just published is always "
                    + "kept), was " + keepVersions);
        }
    }
}
