package dev.imageflow.core.storage;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.internal.WebIdentityCredentialsUtils;

class S3ClientsTest {

    /** On EKS the pod's IAM role arrives as a web identity token, which the SDK can use only with STS present. */
    @Test
    void webIdentityCredentialsCanBeResolvedForIrsa() {
        assertThatCode(WebIdentityCredentialsUtils::factory).doesNotThrowAnyException();
    }
}
