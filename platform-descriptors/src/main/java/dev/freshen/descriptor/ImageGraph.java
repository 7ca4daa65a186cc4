package dev.freshen.descriptor;

import dev.freshen.events.image.ImageReference;
import dev.freshen.events.image.VersionTag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which watched platform images are built FROM which: image P is a <b>parent</b> of image C when one of C's external
 * bases (by tag, ARG-resolved, as {@link PlatformImage#baseImages()} gives them) names a tag P publishes: registry =
 * the target registry (normalised as {@link ImageReference} normalises it: {@code index.docker.io} is
 * {@code docker.io}), repository = P's {@code target.repository}, and tag = one of P's literal {@code extraTags} or a
 * version tag {@code <P's tagPrefix>-x.y.z} ({@link VersionTag}). Repositories may be shared: the catalog's clash rules
 * give every tag and prefix one owner, so a tag names at most one parent.
 *
 * <p>Orders: {@link #order()} lists every image parents first (ties by id), {@link #ancestors} nearest first,
 * {@link #descendants} in {@link #order()}. A graph built over images that name each other's tags in a circle has
 * {@link #cycles()}; the catalog serves only images outside them, so the graph a service gets is acyclic (images on
 * a cycle, if any, come last in {@link #order()}).
 */
public final class ImageGraph {

    /** One parent of an image: the parent's id and the base (tag) of the child's Dockerfile that names it. */
    public record Edge(String parentId, ImageReference base) {
    }

    /** No images, no edges: a catalog that does not know the target registry. */
    public static final ImageGraph NONE = new ImageGraph(Map.of(), null);

    private final Map<String, PlatformImage> images;
    private final String registry;
    private final Map<String, List<Edge>> parents = new TreeMap<>();
    private final Map<String, List<String>> children = new TreeMap<>();
    private final List<String> order;
    private final Map<String, Integer> position = new HashMap<>();
    private final List<List<String>> cycles;

    private ImageGraph(Map<String, PlatformImage> images, String targetRegistry) {
        this.images = new TreeMap<>(images);
        this.registry = targetRegistry == null || targetRegistry.isBlank() ? null : normalisedRegistry(targetRegistry);
        for (PlatformImage child : this.images.values()) {
            List<Edge> edges = new ArrayList<>();
            for (ImageReference base : child.baseImages()) {
                publisherOf(base).ifPresent(parent -> edges.add(new Edge(parent, base)));
            }
            parents.put(child.id(), List.copyOf(edges));
            children.putIfAbsent(child.id(), new ArrayList<>());
        }
        parents.forEach((child, edges) -> edges.stream().map(Edge::parentId).distinct()
                .forEach(parent -> children.get(parent).add(child)));
        children.replaceAll((id, list) -> List.copyOf(list));
        this.order = topologicalOrder();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        this.cycles = findCycles();
    }

    /**
     * The graph of {@code images} (by id) for the target registry {@code targetRegistry} (a host, e.g.
     * {@code registry.example.com} or {@code 127.0.0.1:5000}); {@code null} or blank: no edges.
     *
     * @throws IllegalArgumentException when {@code targetRegistry} is not a registry host
     */
    public static ImageGraph of(Map<String, PlatformImage> images, String targetRegistry) {
        return new ImageGraph(images, targetRegistry);
    }

    /** The parents of {@code id}, one edge per base of its Dockerfile that names a watched image's tag, in FROM order. */
    public List<Edge> parents(String id) {
        return parents.getOrDefault(id, List.of());
    }

    /** The images built directly FROM {@code id}, by id. */
    public List<String> children(String id) {
        return children.getOrDefault(id, List.of());
    }

    /** Every image {@code id} is built FROM, directly or not, nearest first (parents, then theirs), each once. */
    public List<String> ancestors(String id) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(id);
        while (!queue.isEmpty()) {
            for (Edge edge : parents(queue.poll())) {
                if (!edge.parentId().equals(id) && seen.add(edge.parentId())) {
                    queue.add(edge.parentId());
                }
            }
        }
        return List.copyOf(seen);
    }

    /** Every image built FROM {@code id}, directly or not, in {@link #order()} (parents before their children). */
    public List<String> descendants(String id) {
        Set<String> seen = new TreeSet<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(id);
        while (!queue.isEmpty()) {
            for (String child : children(queue.poll())) {
                if (!child.equals(id) && seen.add(child)) {
                    queue.add(child);
                }
            }
        }
        return seen.stream().sorted((a, b) -> Integer.compare(position.get(a), position.get(b))).toList();
    }

    /** Every image, parents before children, ties in id order; images on a cycle (and below them) last, by id. */
    public List<String> order() {
        return order;
    }

    /**
     * The cycles: for every image on one, the shortest circle of parents through it, as ids from the image with the
     * lowest id round to the image before it ({@code [base/a, base/b]}: a is built FROM b's tag and b FROM a's; an
     * image built FROM its own tag is a cycle of one). Each circle once, in id order of its first image.
     */
    public List<List<String>> cycles() {
        return cycles;
    }

    /** The shortest circle through {@code id}, starting at {@code id} ({@code [id]} for a self-reference); empty when none. */
    public List<String> cycleThrough(String id) {
        // breadth-first over children back to id: the shortest path id -> ... -> id
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(id);
        while (!queue.isEmpty()) {
            String at = queue.poll();
            for (String child : children(at)) {
                if (child.equals(id)) {
                    List<String> path = new ArrayList<>();
                    for (String step = at; step != null; step = cameFrom.get(step)) {
                        path.add(0, step);
                    }
                    return List.copyOf(path);
                }
                if (!cameFrom.containsKey(child)) {
                    cameFrom.put(child, at);
                    queue.add(child);
                }
            }
        }
        return List.of();
    }

    /**
     * The watched image that publishes {@code tagRef} (registry, repository and tag; a digest is ignored): the one
     * whose literal extra tags hold the tag or whose tag prefix it is a version of. Empty for a reference without a
     * tag, outside the target registry or published by no watched image.
     */
    public Optional<String> publisherOf(ImageReference tagRef) {
        if (registry == null || tagRef.tag() == null || !tagRef.registry().equals(registry)) {
            return Optional.empty();
        }
        for (PlatformImage image : images.values()) {
            Target target = image.descriptor().target();
            if (!publishedName(target).equals(tagRef.repository())) {
                continue;
            }
            boolean extraTag = target.extraTags().stream().filter(Target::isMoving).anyMatch(tagRef.tag()::equals);
            if (extraTag || VersionTag.parse(target.tagPrefix(), tagRef.tag()).isPresent()) {
                return Optional.of(image.id());
            }
        }
        return Optional.empty();
    }

    private String publishedName(Target target) {
        return ImageReference.parse(registry + "/" + target.repository()).repository();
    }

    private static String normalisedRegistry(String host) {
        try {
            return ImageReference.parse(host.strip() + "/x").registry();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the target registry '" + host + "' is not a registry host", e);
        }
    }

    /** Kahn's algorithm, smallest id first among the ready images; what a cycle blocks goes last. */
    private List<String> topologicalOrder() {
        Map<String, Integer> waiting = new HashMap<>();
        parents.forEach((id, edges) -> waiting.put(id, (int) edges.stream().map(Edge::parentId).distinct().count()));
        TreeSet<String> ready = new TreeSet<>();
        waiting.forEach((id, n) -> {
            if (n == 0) {
                ready.add(id);
            }
        });
        List<String> sorted = new ArrayList<>();
        while (!ready.isEmpty()) {
            String next = ready.pollFirst();
            sorted.add(next);
            for (String child : children(next)) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        new TreeSet<>(parents.keySet()).stream().filter(id -> !sorted.contains(id)).forEach(sorted::add);
        return List.copyOf(sorted);
    }

    private List<List<String>> findCycles() {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (String id : parents.keySet()) {
            List<String> circle = cycleThrough(id);
            if (circle.isEmpty()) {
                continue;
            }
            int lowest = circle.indexOf(new TreeSet<>(circle).first());
            List<String> rotated = new ArrayList<>(circle.subList(lowest, circle.size()));
            rotated.addAll(circle.subList(0, lowest));
            found.putIfAbsent(String.join("\n", rotated), List.copyOf(rotated));
        }
        return found.values().stream().sorted((a, b) -> a.get(0).compareTo(b.get(0))).toList();
    }
}
