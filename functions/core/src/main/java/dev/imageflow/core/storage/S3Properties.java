package dev.imageflow.core.storage;

import java.net.URI;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the bytes live. Leave {@code endpoint} and the keys unset on AWS: requests then go to the region's S3
 * endpoint and the SDK's default credentials chain finds the pod's IAM role (IRSA). Set them for any other
 * S3-protocol store.
 *
 * @param endpoint     e.g. {@code http://minio.imageflow:9000}; unset for AWS
 * @param pathStyle    bucket in the path instead of the host name, as most self-hosted stores need
 * @param createBucket create the bucket at start when missing (local stores; on AWS Terraform creates it)
 */
public record S3Properties(
        URI endpoint,
        @DefaultValue("us-east-1") String region,
        @DefaultValue("imageflow") String bucket,
        @DefaultValue("false") boolean pathStyle,
        String accessKey,
        String secretKey,
        @DefaultValue("false") boolean createBucket) {}
