package dev.freshen.descriptor;

import dev.freshen.events.ImageIds;
import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every platform image under a platform-images root: each folder holding a {@code platform-image.yaml}. A bad
 * descriptor is reported in {@link Scan#errors()} with all its problems and does not keep the others from being
 * served.
 *
 * <p>A full {@link #scan()} also checks the images against each other: two images may not publish the same moving
 * extra tag ({@code latest}) or versions with the same tag prefix to the same repository (the tag would jump between
 * them), and a folder may not be a symbolic link to another image's folder. Of two images that clash, the one the
 * registry names as the tag's owner ({@link TagOwners}), else the first in id order, is served; the other is an
 * error naming the one that keeps the tag.
 *
 * <p>When the catalog knows the target registry, a full scan also builds the {@link ImageGraph} of images built FROM
 * each other's tags ({@link Scan#graph()}). Images that are built FROM each other's tags in a circle (an image FROM
 * its own tag included) are errors ({@link DescriptorProblem#DEPENDENCY_CYCLE}, at the FROM line, naming the circle);
 * the others are served, so the graph served has no cycle.
 */
public final class PlatformImageCatalog {

    /**
     * The result of one scan: the images that loaded (by id), the descriptors that did not, and which images are built
     * FROM which ({@link ImageGraph#NONE} for a scan of one image or without a target registry).
     */
    public record Scan(Map<String, PlatformImage> images, List<DescriptorException> errors, ImageGraph graph) {
        public Scan {
            images = Map.copyOf(images);
            errors = List.copyOf(errors);
            graph = graph == null ? ImageGraph.NONE : graph;
        }

        /** A scan without a graph. */
        public Scan(Map<String, PlatformImage> images, List<DescriptorException> errors) {
            this(images, errors, ImageGraph.NONE);
        }

        public Optional<PlatformImage> image(String id) {
            return Optional.ofNullable(images.get(id));
        }

        /** The error of the image {@code id} when its descriptor is invalid. */
        public Optional<DescriptorException> error(String id) {
            return errors.stream().filter(e -> id.equals(e.imageId())).findFirst();
        }
    }

    private final DescriptorLoader loader;
    private final TagOwners owners;
    private final String targetRegistry;

    public PlatformImageCatalog(Path root) {
        this(root, TagOwners.NONE);
    }

    /** @param owners who owns a tag today, to settle two images claiming it */
    public PlatformImageCatalog(Path root, TagOwners owners) {
        this(root, owners, null);
    }

    /**
     * @param owners         who owns a tag today, to settle two images claiming it
     * @param targetRegistry the registry images are published to (a host: {@code registry.example.com}), for the
     *                       {@link ImageGraph}; {@code null}: no graph
     */
    public PlatformImageCatalog(Path root, TagOwners owners, String targetRegistry) {
        this.loader = new DescriptorLoader(root);
        this.owners = owners;
        this.targetRegistry = targetRegistry == null || targetRegistry.isBlank() ? null : targetRegistry;
    }

    /**
     * A catalog of {@code root}, for a service's start-up: fails with the setting to fix when the folder is missing.
     */
    public static PlatformImageCatalog of(Path root) {
        return of(root, TagOwners.NONE);
    }

    /** {@link #of(Path)} with the owners of tags. */
    public static PlatformImageCatalog of(Path root, TagOwners owners) {
        return of(root, owners, null);
    }

    /** {@link #of(Path)} with the owners of tags and the target registry, for the {@link ImageGraph}. */
    public static PlatformImageCatalog of(Path root, TagOwners owners, String targetRegistry) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("the platform-images folder " + root.toAbsolutePath()
                    + " does not exist (set freshen.platform-images-dir / FRESHEN_PLATFORM_IMAGES_DIR)");
        }
        return new PlatformImageCatalog(root, owners, targetRegistry);
    }

    public Path root() {
        return loader.root();
    }

    /**
     * Reads one image only (a stage handling one event needs no more): a scan holding that image, or its descriptor
     * error, or nothing when there is no such folder with a descriptor. Checks across images are not made.
     */
    public Scan scan(String imageId) {
        try {
            ImageIds.validate(imageId);
        } catch (IllegalArgumentException e) {
            return new Scan(Map.of(), List.of());
        }
        Path file = loader.root().resolve(imageId).resolve(PlatformImage.DESCRIPTOR_FILE);
        if (!Files.isRegularFile(file)) {
            return new Scan(Map.of(), List.of());
        }
        try {
            PlatformImage image = loader.load(file);
            return new Scan(Map.of(image.id(), image), List.of());
        } catch (DescriptorException e) {
            return new Scan(Map.of(), List.of(e));
        }
    }

    public Scan scan() {
        Path root = loader.root();
        if (!Files.isDirectory(root)) {
            throw new UncheckedIOException(new IOException("platform-images root " + root + " is not a folder"));
        }
        Map<String, DescriptorLoader.Loaded> loaded = new TreeMap<>();
        List<DescriptorException> errors = new ArrayList<>();
        List<Path> descriptors = new ArrayList<>();
        List<Path> linkedFolders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.forEach(path -> {
                if (path.getFileName() != null && path.getFileName().toString().equals(PlatformImage.DESCRIPTOR_FILE)) {
                    descriptors.add(path);
                } else if (Files.isSymbolicLink(path) && Files.isRegularFile(path.resolve(PlatformImage.DESCRIPTOR_FILE))) {
                    linkedFolders.add(path);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot scan " + root, e);
        }
        for (Path file : descriptors.stream().sorted().toList()) {
            try {
                DescriptorLoader.Loaded image = loader.read(file);
                loaded.put(image.image().id(), image);
            } catch (DescriptorException e) {
                errors.add(e);
            }
        }
        for (Path link : linkedFolders.stream().sorted().toList()) {
            errors.add(linkedFolder(root, link));
        }
        // an invalid image whose target is still readable keeps its claim: fixing a typo in the image that has a tag
        // must not hand the tag to a copy meanwhile
        Map<String, Claim> claims = new TreeMap<>();
        loaded.forEach((id, image) -> claims.put(id, new Claim(image.image().descriptor().target(), image.reading())));
        errors.stream().filter(e -> e.imageId() != null && e.target().isPresent())
                .forEach(e -> claims.putIfAbsent(e.imageId(), new Claim(e.target().get(), null)));
        Map<String, List<DescriptorProblem>> clashes = new Clashes(claims, owners).find();
        Map<String, PlatformImage> images = new TreeMap<>();
        loaded.forEach((id, image) -> {
            List<DescriptorProblem> problems = clashes.get(id);
            if (problems == null) {
                images.put(id, image.image());
            } else {
                Descriptor descriptor = image.image().descriptor();
                errors.add(new DescriptorException(loader.root().relativize(image.image().directory()
                        .resolve(PlatformImage.DESCRIPTOR_FILE)), id, problems, descriptor.target(), descriptor.channels()));
            }
        });
        errors.replaceAll(e -> e.imageId() != null && !loaded.containsKey(e.imageId()) && clashes.containsKey(e.imageId())
                ? e.with(clashes.get(e.imageId())) : e);
        ImageGraph graph = ImageGraph.NONE;
        if (targetRegistry != null) {
            graph = ImageGraph.of(images, targetRegistry);
            if (!graph.cycles().isEmpty()) {
                for (String id : graph.cycles().stream().flatMap(List::stream).distinct().sorted().toList()) {
                    errors.add(cycle(images.remove(id), graph));
                }
                graph = ImageGraph.of(images, targetRegistry);
            }
        }
        errors.sort((a, b) -> a.file().toString().compareTo(b.file().toString()));
        return new Scan(images, errors, graph);
    }

    /** The error of an image on a cycle: at the FROM line of the base that names the next image of the circle. */
    private DescriptorException cycle(PlatformImage image, ImageGraph graph) {
        List<String> circle = graph.cycleThrough(image.id());
        String next = circle.size() > 1 ? circle.get(1) : image.id();
        ImageReference base = graph.parents(image.id()).stream().filter(e -> e.parentId().equals(next))
                .map(ImageGraph.Edge::base).findFirst().orElse(null);
        int line = image.dockerfile().images().stream()
                .filter(i -> i.watched() != null && i.watched().equals(base))
                .mapToInt(Dockerfile.Image::line).findFirst().orElse(0);
        String named = String.join(" \u2192 ", circle) + " \u2192 " + image.id();
        String message = circle.size() == 1
                ? named + ": this image is built FROM its own tag " + base
                : named + ": these images are built FROM each other's tags (" + image.id() + " FROM " + base + ")";
        String file = loader.root().relativize(image.dockerfilePath()).toString().replace('\\', '/');
        DescriptorProblem problem = new DescriptorProblem(DescriptorProblem.DEPENDENCY_CYCLE, file, "build.dockerfile",
                line, 0, message, "Build one of them FROM an upstream image (or a base pinned by digest) instead of the "
                + "other's tag: an image cannot be rebuilt when the image it is built from waits for it.");
        Descriptor descriptor = image.descriptor();
        return new DescriptorException(loader.root().relativize(image.directory().resolve(PlatformImage.DESCRIPTOR_FILE)),
                image.id(), List.of(problem), descriptor.target(), descriptor.channels());
    }

    /** What an image claims in the target registry; {@code reading} (where its fields are) when it loaded. */
    private record Claim(Target target, DescriptorReader.Result reading) {
    }

    /** A folder that is a symbolic link: to another image (one folder, two ids), or out of the root. */
    private DescriptorException linkedFolder(Path root, Path link) {
        String id = root.relativize(link).toString().replace('\\', '/');
        Path shown = root.relativize(link.resolve(PlatformImage.DESCRIPTOR_FILE));
        String file = shown.toString().replace('\\', '/');
        DescriptorProblem problem;
        try {
            Path real = link.toRealPath();
            Path realRoot = root.toRealPath();
            if (real.startsWith(realRoot)) {
                String target = realRoot.relativize(real).toString().replace('\\', '/');
                problem = new DescriptorProblem(DescriptorProblem.DUPLICATE_IMAGE_ID, file, null, 0, 0,
                        "the folder " + id + " is a symbolic link to " + target + ", which is an image already: one "
                                + "folder would be two images",
                        "Remove the link; to make a new image, copy the folder and give the copy its own "
                                + "target.repository or tags.");
            } else {
                problem = new DescriptorProblem(DescriptorProblem.PATH_OUTSIDE_ROOT, file, null, 0, 0,
                        "the folder " + id + " is a symbolic link to a folder outside the platform-images root",
                        "Copy the image folder into the platform-images root instead of linking to it.");
            }
        } catch (IOException e) {
            problem = new DescriptorProblem(DescriptorProblem.UNREADABLE, file, null, 0, 0,
                    "the folder " + id + " is a symbolic link that cannot be followed", "Remove or repair the link.");
        }
        String imageId;
        try {
            imageId = ImageIds.validate(id);
        } catch (IllegalArgumentException e) {
            imageId = null;
        }
        return new DescriptorException(shown, imageId, List.of(problem), null, null);
    }

    /**
     * Images that publish the same moving tag, or versions of the same prefix, to one repository: each claim has one
     * keeper ({@link TagOwners}, else the first id), and every other claimant gets a problem at the field that
     * claims it.
     */
    private static final class Clashes {

        private final Map<String, Claim> claims;
        private final TagOwners owners;
        private final Map<String, List<DescriptorProblem>> problems = new LinkedHashMap<>();

        Clashes(Map<String, Claim> claims, TagOwners owners) {
            this.claims = claims;
            this.owners = owners;
        }

        Map<String, List<DescriptorProblem>> find() {
            Map<String, List<String>> byTag = new TreeMap<>();
            Map<String, List<String>> byPrefix = new TreeMap<>();
            claims.forEach((id, claim) -> {
                Target target = claim.target();
                target.extraTags().stream().filter(Target::isMoving).distinct()
                        .forEach(tag -> byTag.computeIfAbsent(target.repository() + "\n" + tag, k -> new ArrayList<>()).add(id));
                byPrefix.computeIfAbsent(target.repository() + "\n" + target.tagPrefix(), k -> new ArrayList<>()).add(id);
            });
            byTag.forEach((key, ids) -> {
                if (ids.size() > 1) {
                    String repository = key.substring(0, key.indexOf('\n'));
                    String tag = key.substring(key.indexOf('\n') + 1);
                    Keeper keeper = keeper(ids, owners.ofTag(repository, tag));
                    for (String id : ids) {
                        if (!id.equals(keeper.id())) {
                            int index = claims.get(id).target().extraTags().indexOf(tag);
                            add(id, DescriptorProblem.DUPLICATE_TAG, "target.extraTags[" + index + "]",
                                    "tag " + tag + " of " + repository + " is also published by " + keeper.id(),
                                    keeper.id() + " keeps it (" + keeper.why() + "); give this image its own "
                                            + "target.repository, or remove " + tag + " from its target.extraTags.");
                        }
                    }
                }
            });
            byPrefix.forEach((key, ids) -> {
                if (ids.size() > 1) {
                    String repository = key.substring(0, key.indexOf('\n'));
                    String prefix = key.substring(key.indexOf('\n') + 1);
                    Keeper keeper = keeper(ids, owners.ofPrefix(repository, prefix));
                    String example = VersionTag.initial(prefix).tag();
                    for (String id : ids) {
                        if (!id.equals(keeper.id())) {
                            add(id, DescriptorProblem.DUPLICATE_TAG_PREFIX, "target.tagPrefix",
                                    "version tags " + prefix + "-<version> (" + example + ", ...) of " + repository
                                            + " are also published by " + keeper.id(),
                                    keeper.id() + " keeps them (" + keeper.why() + "); give this image its own "
                                            + "target.repository or target.tagPrefix.");
                        }
                    }
                }
            });
            return problems;
        }

        private record Keeper(String id, String why) {
        }

        private static Keeper keeper(List<String> ids, Optional<String> owner) {
            if (owner.isPresent() && ids.contains(owner.get())) {
                return new Keeper(owner.get(), "the registry's tag names it as its image");
            }
            return new Keeper(ids.stream().sorted().findFirst().orElseThrow(), "it comes first in id order and the "
                    + "registry names no image for the tag");
        }

        private void add(String id, String code, String field, String message, String hint) {
            Claim claim = claims.get(id);
            DescriptorReader.Mark at = claim.reading() == null ? DescriptorReader.Mark.NONE : claim.reading().at(field);
            String file = id + "/" + PlatformImage.DESCRIPTOR_FILE;
            problems.computeIfAbsent(id, k -> new ArrayList<>())
                    .add(new DescriptorProblem(code, file, field, at.line(), at.column(), message, hint));
        }
    }
}
