package dev.freshen.registry;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthChallengeTest {

    @Test
    void dockerHubBearerChallenge() {
        List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/debian:pull\""));

        assertEquals(1, challenges.size());
        AuthChallenge bearer = challenges.get(0);
        assertTrue(bearer.is("bearer"));
        assertEquals(Map.of("realm", "https://auth.docker.io/token", "service", "registry.docker.io",
                "scope", "repository:library/debian:pull"), bearer.params());
    }

    @Test
    void quotedValuesKeepCommasSpacesAndEscapedQuotes() {
        AuthChallenge bearer = AuthChallenge.parse(List.of(
                "Bearer realm=\"https://h/token?a=1,b=2\", scope=\"repository:a/b:pull,push repository:c:pull\","
                        + " error=\"insufficient_scope\", note=\"say \\\"hi\\\"\"")).get(0);

        assertEquals("https://h/token?a=1,b=2", bearer.param("realm"));
        assertEquals("repository:a/b:pull,push repository:c:pull", bearer.param("scope"));
        assertEquals("insufficient_scope", bearer.param("error"));
        assertEquals("say \"hi\"", bearer.param("note"));
    }

    @Test
    void severalChallengesInOneValueAndSeveralValues() {
        List<AuthChallenge> challenges = AuthChallenge.parse(List.of(
                "Basic realm=\"basic, with comma\", Bearer realm=\"https://t/token\",service=\"s\"",
                "Negotiate abc123==, Digest realm=\"d\", qop=\"auth,auth-int\""));

        assertEquals(List.of("Basic", "Bearer", "Negotiate", "Digest"),
                challenges.stream().map(AuthChallenge::scheme).toList());
        assertEquals("basic, with comma", challenges.get(0).param("realm"));
        assertEquals("https://t/token", challenges.get(1).param("realm"));
        assertEquals("s", challenges.get(1).param("service"));
        assertTrue(challenges.get(2).params().isEmpty());
        assertEquals("auth,auth-int", challenges.get(3).param("qop"));
    }

    @Test
    void unquotedValuesCaseInsensitiveNamesAndOddSpacing() {
        AuthChallenge bearer = AuthChallenge.parse(List.of(
                "  BEARER   Realm = https://h:8443/token ,Service=registry.example ,  scope=repository:x:pull")).get(0);

        assertTrue(bearer.is("Bearer"));
        assertEquals("https://h:8443/token", bearer.param("REALM"));
        assertEquals("registry.example", bearer.param("service"));
        assertEquals("repository:x:pull", bearer.param("scope"));
    }

    @Test
    void schemeWithoutParametersAndGarbageDoNotBreakParsing() {
        List<AuthChallenge> challenges = AuthChallenge.parse(List.of("Basic", "", ",,, ", "Bearer realm=\"unterminated"));

        assertEquals(2, challenges.size());
        assertTrue(challenges.get(0).is("basic"));
        assertTrue(challenges.get(0).params().isEmpty());
        assertEquals("unterminated", challenges.get(1).param("realm"));
        assertNull(challenges.get(1).param("service"));
    }
}
