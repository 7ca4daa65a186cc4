package dev.freshen.ecr.setup;

import dev.freshen.descriptor.PlatformImage;
import dev.freshen.descriptor.Target;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The ECR repositories every descriptor together needs, and the settings each must have. Pure logic: no ECR call.
 *
 * <p><b>Target repositories.</b> Several images may publish to one repository (the .NET runtime, runtime-chiseled and
 * 11 runtime images share {@code platform/dotnet/runtime} with their own tag prefixes), so the tag mutability is
 * computed over all of them. Every version tag ({@code <tagPrefix>-<n>.<n>.<n>}) and every tag that names one run's
 * image for good ({@code {runId}}, {@code {version}}) must be immutable; every moving extra tag ({@code latest},
 * {@code 10.0}, {@code nightly-{date}}) must stay mutable. With {@code MUTABLE_WITH_EXCLUSION} (the default) the
 * filters are version-shaped ({@code 10.0-noble-*.*.*}): a filter that another covers is left out
 * ({@code 10.0-noble-*.*.*} covers {@code 10.0-noble-chiseled-*.*.*}), and a filter that matches any image's moving
 * tag refuses the layout. With {@code IMMUTABLE_WITH_EXCLUSION} the filters are the moving tags (a literal tag, or
 * {@code nightly-*} for {@code nightly-{date}}), and one that matches any version tag or run tag refuses the layout
 * (a wildcard such as {@code 10.0-noble-*} would make sibling images' versions movable). More than ECR's
 * {@value LayoutSettings#MAX_FILTERS} filters refuse it too. {@code IMMUTABLE} refuses images with moving tags
 * (their second publish would fail); {@code MUTABLE} protects nothing and is taken as asked.
 *
 * <p><b>Staging repositories</b> (one per target repository, named by {@link LayoutSettings#stagingRepository()}):
 * {@code MUTABLE}, scan on push as configured, the target's encryption (ECR mounts blobs only between repositories
 * with the same encryption) and the {@link LifecyclePolicy}.
 */
public final class RepositoryLayout {

    private final List<RepositorySpec> repositories;

    private RepositoryLayout(List<RepositorySpec> repositories) {
        this.repositories = List.copyOf(repositories);
    }

    /** Every repository: each target repository followed by its staging repository, targets in name order. */
    public List<RepositorySpec> repositories() {
        return repositories;
    }

    public Optional<RepositorySpec> repository(String name) {
        return repositories.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The layout of every image that loaded (a scan's {@code images()}). */
    public static RepositoryLayout ofImages(Collection<PlatformImage> images, LayoutSettings settings) {
        Map<String, Target> targets = new TreeMap<>();
        images.forEach(i -> targets.put(i.id(), i.descriptor().target()));
        return of(targets, settings);
    }

    /**
     * The layout of {@code targets}.
     *
     * @param targets each platform image's target, by image id
     * @throws LayoutRefusedException naming every problem when the images cannot be published with these settings
     */
    public static RepositoryLayout of(Map<String, Target> targets, LayoutSettings settings) {
        Map<String, Map<String, Target>> byRepository = new TreeMap<>();
        new TreeMap<>(targets).forEach((id, target) ->
                byRepository.computeIfAbsent(target.repository(), r -> new TreeMap<>()).put(id, target));
        List<String> problems = new ArrayList<>();
        List<RepositorySpec> specs = new ArrayList<>();
        Map<String, String> stagingOf = new LinkedHashMap<>();
        byRepository.forEach((repository, images) -> {
            Optional<RepositorySpec> target = target(repository, images, settings, problems);
            target.ifPresent(specs::add);
            Map<String, List<String>> stagings = new TreeMap<>();
            images.forEach((id, t) -> stagings.computeIfAbsent(settings.stagingRepository().apply(t),
                    s -> new ArrayList<>()).add(id));
            stagings.forEach((staging, ids) -> {
                if (byRepository.containsKey(staging)) {
                    problems.add("the staging repository " + staging + " of " + String.join(", ", ids) + " is the target "
                            + "repository of " + String.join(", ", byRepository.get(staging).keySet())
                            + ": give the staging repositories another name, or rename that target.repository");
                } else if (stagingOf.putIfAbsent(staging, repository) == null) {
                    specs.add(new RepositorySpec(staging, RepositorySpec.Role.STAGING, ids, TagMutability.MUTABLE,
                            List.of(), settings.scanOnPush(), settings.encryption(),
                            LifecyclePolicy.document(LayoutSettings.CANDIDATE_PREFIX, settings.candidateExpiryDays())));
                } else {
                    // two target repositories share one staging repository: it is listed once, for both
                    RepositorySpec first = specs.stream().filter(s -> s.name().equals(staging)).findFirst().orElseThrow();
                    List<String> all = new ArrayList<>(first.imageIds());
                    all.addAll(ids);
                    specs.set(specs.indexOf(first), new RepositorySpec(staging, first.role(), all.stream().sorted().toList(),
                            first.tagMutability(), first.exclusionFilters(), first.scanOnPush(), first.encryption(),
                            first.lifecyclePolicy()));
                }
            });
        });
        if (!problems.isEmpty()) {
            throw new LayoutRefusedException(problems);
        }
        return new RepositoryLayout(specs);
    }

    /** A wanted filter and where it comes from ("version tags of net10/runtime"). */
    private record Filter(String filter, String origin) {
    }

    /** A tag the filters must not touch, as a pattern, and whose it is ("moving tag latest of net10/runtime"). */
    private record Guarded(TagPattern tags, String what) {
    }

    private static Optional<RepositorySpec> target(String repository, Map<String, Target> images,
                                                   LayoutSettings settings, List<String> problems) {
        TagMutability mutability = settings.tagMutability();
        List<String> ids = List.copyOf(images.keySet());
        int before = problems.size();
        List<Filter> wanted = new ArrayList<>();
        List<Guarded> guarded = new ArrayList<>();
        switch (mutability) {
            case MUTABLE -> {
                return Optional.of(spec(repository, ids, mutability, List.of(), settings));
            }
            case IMMUTABLE -> {
                images.forEach((id, target) -> {
                    List<String> moving = target.extraTags().stream().filter(RepositoryLayout::isMoving).toList();
                    if (!moving.isEmpty()) {
                        problems.add("repository " + repository + ": tag mutability immutable would stop the moving tags "
                                + String.join(", ", moving) + " of " + id + " from moving to its next version; use "
                                + "tag mutability mutable-with-exclusion (version tags stay immutable)");
                    }
                });
                return problems.size() == before ? Optional.of(spec(repository, ids, mutability, List.of(), settings))
                        : Optional.empty();
            }
            case MUTABLE_WITH_EXCLUSION -> images.forEach((id, target) -> {
                wanted.add(new Filter(TagPattern.versionFilter(target.tagPrefix()), "version tags of " + id));
                for (String tag : target.extraTags()) {
                    if (isMoving(tag)) {
                        guarded.add(new Guarded(TagPattern.template(tag), "the moving tag " + tag + " of " + id));
                    } else {
                        wanted.add(new Filter(TagPattern.filterOf(tag), "tag " + tag + " of " + id));
                    }
                }
            });
            case IMMUTABLE_WITH_EXCLUSION -> images.forEach((id, target) -> {
                guarded.add(new Guarded(TagPattern.versionsOf(target.tagPrefix()), "the version tags "
                        + target.tagPrefix() + "-<version> of " + id));
                for (String tag : target.extraTags()) {
                    if (isMoving(tag)) {
                        wanted.add(new Filter(TagPattern.filterOf(tag), "moving tag " + tag + " of " + id));
                    } else {
                        guarded.add(new Guarded(TagPattern.template(tag), "the tag " + tag + " of " + id));
                    }
                }
            });
        }
        settings.exclusionFilters().forEach(f -> wanted.add(new Filter(f, "freshen.publisher.ecr.exclusion-filters")));
        String effect = mutability == TagMutability.MUTABLE_WITH_EXCLUSION ? "immutable" : "mutable";
        for (Filter filter : wanted) {
            for (Guarded tag : guarded) {
                if (TagPattern.filter(filter.filter()).overlaps(tag.tags())) {
                    problems.add("repository " + repository + ": the exclusion filter " + filter.filter() + " (for the "
                            + filter.origin() + ") would make " + tag.what() + " " + effect + "; "
                            + (mutability == TagMutability.MUTABLE_WITH_EXCLUSION
                            ? "rename the moving tag or the tag prefix so that the moving tag is not <prefix>-<n>.<n>.<n>"
                            : "use tag mutability mutable-with-exclusion, or literal moving tags that no version matches")
                            + ", or give one of the images its own target.repository");
                }
            }
        }
        List<String> filters = collapse(wanted.stream().map(Filter::filter).toList());
        if (filters.size() > LayoutSettings.MAX_FILTERS) {
            problems.add("repository " + repository + " would need " + filters.size() + " tag mutability exclusion "
                    + "filters (" + String.join(", ", filters) + ") for " + String.join(", ", ids) + ", ECR allows "
                    + LayoutSettings.MAX_FILTERS + "; " + (mutability == TagMutability.IMMUTABLE_WITH_EXCLUSION
                    ? "use tag mutability mutable-with-exclusion (one filter per tag prefix), or "
                    : "") + "give some images their own target.repository, or use fewer "
                    + (mutability == TagMutability.IMMUTABLE_WITH_EXCLUSION ? "moving extra tags" : "tag prefixes")
                    + " or freshen.publisher.ecr.exclusion-filters");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        if (filters.isEmpty()) {
            // IMMUTABLE_WITH_EXCLUSION with nothing to exclude: ECR wants at least one filter with the exclusion modes
            return Optional.of(spec(repository, ids, TagMutability.IMMUTABLE, List.of(), settings));
        }
        return Optional.of(spec(repository, ids, mutability, filters, settings));
    }

    private static RepositorySpec spec(String repository, List<String> ids, TagMutability mutability,
                                       List<String> filters, LayoutSettings settings) {
        return new RepositorySpec(repository, RepositorySpec.Role.TARGET, ids, mutability, filters,
                settings.scanOnPush(), settings.encryption(), null);
    }

    /** The filters without duplicates and without those another one covers, in their first order. */
    static List<String> collapse(List<String> filters) {
        List<String> distinct = filters.stream().distinct().toList();
        return distinct.stream()
                .filter(f -> distinct.stream().noneMatch(o -> !o.equals(f) && TagPattern.covers(o, f)
                        && !(TagPattern.covers(f, o) && distinct.indexOf(f) < distinct.indexOf(o))))
                .collect(Collectors.toList());
    }

    /**
     * Whether an extra tag moves from version to version: it has neither {@code {runId}} nor {@code {version}}
     * (the publisher's {@code ExtraTags.isMoving}: {@code nightly-{date}} moves within a day).
     */
    static boolean isMoving(String template) {
        return !template.contains("{runId}") && !template.contains("{version}");
    }
}
