package dev.freshen.testing;

import dev.freshen.events.image.ImageReference;

import java.util.List;

/**
 * Fixture upstream base images, made with {@code deploy/local/fixture-base.sh} (busybox-static, no pull):
 * the same images the local stack and the README's run use.
 */
public final class FixtureImages {

    private FixtureImages() {
    }

    /**
     * Publishes a new revision of a fixture base ({@code repository:tag}) to {@code registryHost}; each call yields a
     * new digest, as when the vendor updates the base.
     *
     * @return the pushed reference, pinned by digest
     */
    public static ImageReference publishBase(String registryHost, String repository, String tag) {
        DockerEngine.requireRunning();
        String script = Commands.repositoryRoot().resolve("deploy/local/fixture-base.sh").toString();
        String pinned = Commands.run(List.of(script, "--registry", registryHost, "--repository", repository, "--tag", tag), 300);
        return ImageReference.parse(pinned);
    }
}
