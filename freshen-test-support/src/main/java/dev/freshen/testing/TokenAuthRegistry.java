package dev.freshen.testing;

import java.net.URI;

/**
 * A real {@code docker-registry} process with {@code auth: token} (the flow of Docker Hub, GHCR, MCR...) and its
 * token server on 127.0.0.1. The token server checks basic credentials for one user and issues RS256 JWTs (signed
 * with a key made by {@code keytool}, certificate in the {@code x5c} header, trusted through the registry's
 * {@code rootcertbundle}) granting the actions requested in the scopes. Policy: the right credentials get every
 * requested action; wrong credentials get 401 from the token server; anonymous requests get a token granting
 * {@code pull} only (like a public repository), so anonymous pushes are denied by the registry.
 */
public final class TokenAuthRegistry implements AutoCloseable {

    public static final String SERVICE = "freshen-test-registry";
    public static final String ISSUER = "freshen-test-issuer";

    private final RegistryProcess process;
    private final TokenServer tokens;

    private TokenAuthRegistry(RegistryProcess process, TokenServer tokens) {
        this.process = process;
        this.tokens = tokens;
    }

    public static TokenAuthRegistry start(String username, String password) {
        var dir = RegistryProcess.newDirectory("freshen-token-registry-");
        TokenServer tokens = null;
        try {
            TokenSigner signer = TokenSigner.generate(dir, ISSUER);
            tokens = TokenServer.start(username, password, SERVICE, ISSUER, signer);
            RegistryProcess process = RegistryProcess.start(dir, """
                    auth:
                      token:
                        realm: %s
                        service: %s
                        issuer: %s
                        rootcertbundle: %s
                    """.formatted(tokens.realm(), SERVICE, ISSUER, signer.certificatePem()));
            return new TokenAuthRegistry(process, tokens);
        } catch (RuntimeException e) {
            if (tokens != null) {
                tokens.close();
            }
            RegistryProcess.deleteRecursively(dir);
            throw e;
        }
    }

    /** {@code 127.0.0.1:<port>}, the registry part of image references and the key for its credentials. */
    public String host() {
        return process.host();
    }

    public URI baseUri() {
        return process.baseUri();
    }

    /** The token server's endpoint, the {@code realm} of the registry's challenges. */
    public URI tokenRealm() {
        return tokens.realm();
    }

    /** How many tokens the token server has issued so far (a cache hit issues none). */
    public int tokensIssued() {
        return tokens.tokensIssued();
    }

    @Override
    public void close() {
        process.close();
        tokens.close();
    }
}
