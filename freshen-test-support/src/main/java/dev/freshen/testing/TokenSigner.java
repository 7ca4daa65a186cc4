package dev.freshen.testing;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The token issuer's key: an RSA key pair and self-signed certificate made with {@code keytool} (PKCS12), the
 * certificate exported as PEM for the registry's {@code rootcertbundle}, and RS256 JWTs signed with the key and
 * carrying the certificate in their {@code x5c} header, as the distribution registry verifies them.
 */
final class TokenSigner {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALIAS = "freshen-token-issuer";

    private final PrivateKey key;
    private final byte[] certificateDer;
    private final Path pem;

    private TokenSigner(PrivateKey key, byte[] certificateDer, Path pem) {
        this.key = key;
        this.certificateDer = certificateDer;
        this.pem = pem;
    }

    /** Generates the key and certificate in {@code directory} ({@code issuer.p12}, {@code issuer.pem}). */
    static TokenSigner generate(Path directory, String issuer) {
        Path keystore = directory.resolve("issuer.p12");
        Path pem = directory.resolve("issuer.pem");
        String storePassword = UUID.randomUUID().toString();
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Commands.run(List.of(keytool, "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                "-sigalg", "SHA256withRSA", "-dname", "CN=" + issuer, "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", storePassword, "-keypass", storePassword), 60);
        Commands.run(List.of(keytool, "-exportcert", "-rfc", "-alias", ALIAS, "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", storePassword, "-file", pem.toString()), 60);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, storePassword.toCharArray());
            PrivateKey key = (PrivateKey) store.getKey(ALIAS, storePassword.toCharArray());
            Certificate certificate = store.getCertificate(ALIAS);
            return new TokenSigner(key, certificate.getEncoded(), pem);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the token issuer key from " + keystore, e);
        }
    }

    /** The PEM certificate file for the registry's {@code auth.token.rootcertbundle}. */
    Path certificatePem() {
        return pem;
    }

    /** A compact JWS ({@code header.claims.signature}) of {@code claims}, signed RS256. */
    String sign(Map<String, Object> claims) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificateDer)));
        try {
            String signingInput = base64Url(JSON.writeValueAsBytes(header)) + "." + base64Url(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
