package dev.freshen.publisher;

import dev.freshen.events.image.Digest;
import dev.freshen.events.image.VersionTag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which versions of one platform image a publish leaves behind for deletion ({@code target.retention.keepVersions}):
 * the image's versions ({@code <tagPrefix>-x.y.z}, read with {@link VersionTag#parse}, so {@code 10.0-noble-chiseled-1.0.0}
 * is no version of {@code 10.0-noble}) in version order, not push time, newest first; the first {@code keepVersions}
 * stay, and of the others only those whose digest no other tag names are deleted, together with this image's per-run
 * extra tags on that digest ({@code run-{runId}}, {@code {version}-build}: they belong to that one version and never
 * move). A digest also named by a kept version, by a moving tag of any image ({@code latest}, {@code 10.0},
 * {@code nightly-20261130}), by another image's version or by any other tag of the repository (a candidate, a tag put
 * by hand) stays with all its tags: a registry's delete by digest removes every tag on it (the CNCF registry does), so
 * a version is only deleted when every tag on its image goes too. The digest a publish has just announced is never
 * deleted, whatever its version. A multi-platform version is its image index: the plan names the index's tags, and
 * {@link TargetRepository#deleteVersions} deletes the index before the platform images it lists (untagged), keeping
 * those a version that stays lists too.
 */
public final class VersionRetention {

    /**
     * What to delete and what to keep.
     *
     * @param delete the tags to delete, each with its digest: old versions newest first, each followed by this
     *               image's per-run extra tags on its digest; every tag of the repository on each of these digests is
     *               among them
     * @param held   versions beyond {@code keepVersions} that stay, each with why (for the log): "also tagged latest,
     *               10.0", or "the image this run announced"
     */
    public record Plan(Map<String, Digest> delete, Map<String, String> held) {
        public Plan {
            delete = Collections.unmodifiableMap(new LinkedHashMap<>(delete));
            held = Collections.unmodifiableMap(new LinkedHashMap<>(held));
        }

        public boolean isEmpty() {
            return delete.isEmpty();
        }
    }

    private VersionRetention() {
    }

    /**
     * @param prefix       the image's {@code tagPrefix}
     * @param extraTags    the image's {@code extraTags} templates: those with {@code {runId}} or {@code {version}} are
     *                     per-run tags, deleted with their version
     * @param keepVersions how many of the newest versions to keep, at least 1
     * @param tags         every tag of the repository with the digest it names (shared repositories hold other
     *                     images' tags too)
     * @param published    the digest this publish announced: never deleted
     */
    public static Plan plan(String prefix, List<String> extraTags, int keepVersions, Map<String, Digest> tags,
                            Digest published) {
        if (keepVersions < 1) {
            throw new IllegalArgumentException("keepVersions must be at least 1, was " + keepVersions);
        }
        List<VersionTag> versions = tags.keySet().stream().map(t -> VersionTag.parse(prefix, t))
                .flatMap(Optional::stream).sorted(Comparator.reverseOrder()).toList();
        if (versions.size() <= keepVersions) {
            return new Plan(Map.of(), Map.of());
        }
        Set<String> beyond = versions.subList(keepVersions, versions.size()).stream().map(VersionTag::tag)
                .collect(Collectors.toSet());
        List<Pattern> perRun = extraTags.stream().filter(t -> !ExtraTags.isMoving(t))
                .map(t -> Pattern.compile(Stream.of(ExtraTags.wildcard(t).split("\\*", -1)).map(Pattern::quote)
                        .collect(Collectors.joining(".+")))).toList();
        Map<Digest, List<String>> tagsOf = new LinkedHashMap<>();
        tags.forEach((tag, digest) -> tagsOf.computeIfAbsent(digest, d -> new ArrayList<>()).add(tag));
        Map<String, Digest> delete = new LinkedHashMap<>();
        Map<String, String> held = new LinkedHashMap<>();
        for (VersionTag version : versions.subList(keepVersions, versions.size())) {
            Digest digest = tags.get(version.tag());
            List<String> others = tagsOf.get(digest).stream().filter(t -> !beyond.contains(t)).sorted().toList();
            List<String> ownRunTags = others.stream().filter(t -> perRun.stream().anyMatch(p -> p.matcher(t).matches()))
                    .toList();
            List<String> holders = others.stream().filter(t -> !ownRunTags.contains(t)).toList();
            if (digest.equals(published)) {
                held.put(version.tag(), "the image this run announced");
            } else if (holders.isEmpty()) {
                delete.put(version.tag(), digest);
                ownRunTags.forEach(t -> delete.put(t, digest));
            } else {
                held.put(version.tag(), "also tagged " + String.join(", ", holders));
            }
        }
        return new Plan(delete, held);
    }
}
