package dev.freshen.registry;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LinkHeaderTest {

    @Test
    void distributionRegistryPagination() {
        assertEquals(Optional.of("/v2/dotnet/runtime/tags/list?last=10.0&n=2"),
                LinkHeader.next(List.of("</v2/dotnet/runtime/tags/list?last=10.0&n=2>; rel=\"next\"")));
    }

    @Test
    void nextAmongSeveralLinksWithCommasInTargetsAndQuotedParameters() {
        String value = "<https://r/v2/a/tags/list?last=x,y&n=1>; rel=\"prev\"; title=\"a, b\", "
                + "<https://r/v2/a/tags/list?last=z&n=1>; REL=\"Next\"";

        assertEquals(Optional.of("https://r/v2/a/tags/list?last=z&n=1"), LinkHeader.next(List.of(value)));
    }

    @Test
    void unquotedAndMultiValuedRelations() {
        assertEquals(Optional.of("/p2"), LinkHeader.next(List.of("</p1>; rel=prev", "</p2>;rel=next")));
        assertEquals(Optional.of("/p3"), LinkHeader.next(List.of("</p3>; rel=\"last next\"")));
    }

    @Test
    void noNextLink() {
        assertEquals(Optional.empty(), LinkHeader.next(List.of()));
        assertEquals(Optional.empty(), LinkHeader.next(List.of("</p1>; rel=\"prev\"", "garbage", "<unterminated")));
        assertEquals(Optional.empty(), LinkHeader.next(List.of("</nextpage>; rel=\"nextish\"")));
    }

    @Test
    void relativeTargetResolvesAgainstTheRequest() {
        URI request = URI.create("http://127.0.0.1:5000/v2/a/tags/list?n=2");
        String next = LinkHeader.next(List.of("</v2/a/tags/list?last=b&n=2>; rel=\"next\"")).orElseThrow();

        assertEquals(URI.create("http://127.0.0.1:5000/v2/a/tags/list?last=b&n=2"), request.resolve(next));
    }
}
