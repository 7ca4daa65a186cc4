package dev.freshen.tester;

import dev.freshen.events.image.ImageReference;

import java.util.List;

/**
 * The registry's image scanning, as the tester reads it ({@code ecr/EcrImageScans} for AWS ECR). Never waits: the
 * waiting is {@link ScanCheck}'s.
 */
public interface ImageScans {

    /** Scans of no registry: every candidate is unscanned. */
    ImageScans NONE = new ImageScans() {
        @Override
        public boolean scans(String registry) {
            return false;
        }

        @Override
        public ImageScan describe(ImageReference image) {
            throw new UnsupportedOperationException("no registry scans images here");
        }

        @Override
        public List<String> tags(String registry, String repository) {
            return List.of();
        }
    };

    /** Whether images in {@code registry} (a host, {@code 123456789012.dkr.ecr.eu-west-1.amazonaws.com}) are scanned. */
    boolean scans(String registry);

    /**
     * The scan of {@code image} (by digest, else by tag) as it is now; every page of findings read.
     *
     * @throws dev.freshen.retry.StopRequested when interrupted
     */
    ImageScan describe(ImageReference image);

    /** Every tag in {@code repository} of {@code registry}; empty when the repository does not exist. */
    List<String> tags(String registry, String repository);
}
