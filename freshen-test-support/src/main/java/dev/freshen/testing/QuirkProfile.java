package dev.freshen.testing;

/**
 * How a {@link RegistryQuirkProxy} behaves: the documented habits of one public registry product, played in front of a
 * plain distribution registry. Each constant names its source.
 */
public enum QuirkProfile {

    /**
     * Microsoft Artifact Registry ({@code mcr.microsoft.com}): anonymous pulls without any challenge, HEAD on manifests
     * answered as by the distribution registry, repositories under paths such as {@code dotnet/runtime}. Sources:
     * nlewo/nix2container#104 (mcr.microsoft.com as the example of "registries not requiring authentication", no token
     * URL) and devcontainers/cli#204 (special-cases {@code mcr.microsoft.com}: no auth server to ask).
     * Pushes are let through anonymously too, so tests can seed and promote through the proxy (MCR itself refuses them).
     */
    MCR,

    /**
     * Docker Hub ({@code registry-1.docker.io}): every request needs a Bearer token from a token endpoint, challenge
     * {@code Bearer realm="<proxy>/token",service="registry.docker.io",scope="repository:<name>:pull"}; anonymous tokens
     * grant {@code pull}, push needs the proxy's credentials at the token endpoint. Manifest GETs carry
     * {@code ratelimit-limit: <n>;w=21600} and {@code ratelimit-remaining: <m>;w=21600} and each GET uses one pull; HEADs
     * are not counted and carry the headers too. Once the allowance is used up, manifest GETs answer 429 with
     * {@code {"errors":[{"code":"TOOMANYREQUESTS",...}]}}. Source: docs.docker.com/docker-hub/usage/pulls/ ("a pull is a
     * GET request for a manifest; HEAD requests are not counted", the {@code ratelimit-*} headers and the
     * {@code auth.docker.io/token?service=registry.docker.io&scope=repository:ratelimitpreview/test:pull} example), and
     * containers/image#1078 (the 429 {@code toomanyrequests} body a client meets).
     */
    DOCKER_HUB,

    /**
     * GitHub Container Registry ({@code ghcr.io}): a Bearer challenge with {@code realm="<proxy>/token"},
     * {@code service="ghcr.io"} and a scope even for public images, which anonymous clients answer with a token fetched
     * without credentials. Sources: oras-project/oras-java#178 (the anonymous
     * {@code ghcr.io/token?scope=repository:<name>:pull&service=ghcr.io} exchange a client must do) and CodesWhat/drydock#87
     * ("GHCR requires a token exchange even for public repos", 401 without it).
     */
    GHCR,

    /**
     * Quay ({@code quay.io}): anonymous pulls; the tags list is paged with an opaque {@code next_page} token in the
     * {@code Link} header ({@code </v2/<name>/tags/list?next_page=gAAAA...&n=50>; rel="next"}), not the
     * distribution registry's {@code last=<tag>}; pages hold 50 tags unless {@code n} says fewer; {@code last} is
     * ignored. Source: deitch/docker_registry2#56 and regclient/regclient#272 (the header quay.io sends),
     * regclient/regclient#276 (follow the link as given).
     */
    QUAY,

    /**
     * Harbor before 2.1.3 (and registries such as registry.access.redhat.com): HEAD on a manifest answers 200 without
     * {@code Docker-Content-Digest}, {@code Content-Type} or {@code Content-Length}; a GET has them. Clients must fall
     * back to a GET and hash the body. Sources: goharbor/harbor#13740 and #13793 (HEAD manifest lacked Content-Type and
     * Content-Length; "Docker 20.10 HEADs the manifest before pulling it"), containerd/containerd#3238 and
     * distribution/distribution#2384 (HEAD without {@code Docker-Content-Digest}, "the header is optional"). For a HEAD
     * answered 400 (as some proxies in front of Harbor do), use {@link RegistryQuirkProxy#headStatus(int)}.
     */
    HARBOR,

    /**
     * JFrog Artifactory: the {@code /v2/} challenge is {@code Bearer realm="<proxy>/artifactory/api/docker/v2/token"}
     * without {@code service} and without {@code scope}; the token endpoint grants what the user may do without a
     * scope. Sources: containerd/containerd#3556 ("Auth flow should not require scope in auth header", JFrog
     * RTFACT-20170) and devcontainers/cli#691 ("Artifactory does not include the scope attribute").
     */
    ARTIFACTORY,

    /**
     * Amazon ECR: {@code Basic realm="https://<host>/",service="ecr.amazonaws.com"} challenge, basic credentials user
     * {@code AWS} and the {@code GetAuthorizationToken} token as password ({@link RegistryQuirkProxy#password()}).
     * Source: Amazon ECR User Guide, "Private registry authentication" ({@code docker login --username AWS}); the
     * challenge as ECR sends it is also played by {@link EcrRegistryProxy}, which adds the IAM actions.
     */
    ECR;

    /** The profile's name in kebab case ({@code docker-hub}): for settings keys, repositories and image ids. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
