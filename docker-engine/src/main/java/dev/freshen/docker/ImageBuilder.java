package dev.freshen.docker;

/** Builds an image on a Docker engine. */
public interface ImageBuilder {

    /** A name for logs and events: "engine-api" or "buildkit". */
    String name();

    /**
     * Builds {@code spec}, streaming the output into {@code log}, and returns the local image id.
     *
     * @throws BuildFailure when the build failed (permanent), timed out, or the engine could not be reached (transient)
     */
    String build(BuildSpec spec, BuildLog log);
}
