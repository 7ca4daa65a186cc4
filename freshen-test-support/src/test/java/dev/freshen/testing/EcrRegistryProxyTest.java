package dev.freshen.testing;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which ECR IAM actions each distribution API request is authorized as (see {@link EcrRegistryProxy}). */
class EcrRegistryProxyTest {

    private static final String ARN = "arn:aws:ecr:us-east-1:123456789012:repository/";

    @ParameterizedTest(name = "{0} {1}?{2} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            GET    | /v2/                                             | -                                    | false | -
            GET    | /v2/platform/app/manifests/10.0                  | -                                    | false | ecr:BatchGetImage platform/app
            HEAD   | /v2/platform/app/manifests/sha256:ab12           | -                                    | false | ecr:BatchGetImage platform/app
            PUT    | /v2/platform/app/manifests/10.0-1.0.0            | -                                    | true  | ecr:PutImage platform/app
            HEAD   | /v2/platform/app/blobs/sha256:ab12               | -                                    | false | ecr:BatchCheckLayerAvailability platform/app
            GET    | /v2/platform/app/blobs/sha256:ab12               | -                                    | false | ecr:GetDownloadUrlForLayer platform/app
            POST   | /v2/platform/app/blobs/uploads/                  | -                                    | false | ecr:InitiateLayerUpload platform/app
            POST   | /v2/platform/app/blobs/uploads/                  | mount=sha256%3Aab12&from=platform/stg | false | ecr:GetDownloadUrlForLayer platform/stg, ecr:InitiateLayerUpload platform/app
            PATCH  | /v2/platform/app/blobs/uploads/5d1c              | _state=x                             | true  | ecr:UploadLayerPart platform/app
            PUT    | /v2/platform/app/blobs/uploads/5d1c              | _state=x&digest=sha256:ab12          | false | ecr:CompleteLayerUpload platform/app
            PUT    | /v2/platform/app/blobs/uploads/5d1c              | _state=x&digest=sha256:ab12          | true  | ecr:UploadLayerPart platform/app, ecr:CompleteLayerUpload platform/app
            DELETE | /v2/platform/app/blobs/uploads/5d1c              | _state=x                             | false | -
            GET    | /v2/platform/app/tags/list                       | n=1000                               | false | ecr:ListImages platform/app
            GET    | /v2/platform/blobs/x/manifests/latest            | -                                    | false | ecr:BatchGetImage platform/blobs/x
            GET    | /v2/_catalog                                     | -                                    | false | ecr:DescribeRepositories *
            GET    | /v2/platform/app/referrers/sha256:ab12           | -                                    | false | unmapped:GET /v2/platform/app/referrers/sha256:ab12 @*
            """)
    void eachRequestIsTheActionAwsAuthorizesItAs(String method, String path, String query, boolean body, String expected) {
        Map<String, String> want = new LinkedHashMap<>();
        if (expected != null) {
            for (String pair : expected.split(", ")) {
                int space = pair.lastIndexOf(' ');
                String resource = pair.substring(space + 1);
                want.put(pair.substring(0, space), resource.startsWith("@") ? resource.substring(1)
                        : resource.equals("*") ? ARN + "*" : ARN + resource);
            }
        }
        assertEquals(want, EcrRegistryProxy.actions(ARN, method, path, query, body));
    }
}
