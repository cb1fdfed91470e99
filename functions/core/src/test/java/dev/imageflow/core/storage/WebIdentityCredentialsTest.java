package dev.imageflow.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.internal.WebIdentityCredentialsUtils;

/**
 * On EKS a pod gets its role through IRSA: a web-identity token file the default credentials chain exchanges with
 * STS. The SDK finds that exchange only when the sts module is on the classpath; without it the chain silently
 * skips IRSA and every S3 call fails with missing credentials.
 */
class WebIdentityCredentialsTest {

    @Test
    void theDefaultCredentialsChainCanExchangeAnIrsaWebIdentityToken() {
        assertThat(WebIdentityCredentialsUtils.factory()).isNotNull();
    }
}
