package io.reelflow.storage;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The one {@link S3Client} of the application. camel-aws2-s3 endpoints pick it up by type
 * (autowiring), so routes and {@link MediaStore} talk to the same server the same way.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

  @Bean(destroyMethod = "close")
  EmbeddedS3OrNone embeddedS3(StorageSettings settings) throws Exception {
    return new EmbeddedS3OrNone(settings.embedded() ? EmbeddedS3.start(settings) : null);
  }

  @Bean
  S3Client s3Client(StorageSettings settings, EmbeddedS3OrNone embedded) {
    return S3Client.builder()
        .endpointOverride(endpoint(settings, embedded))
        .region(Region.of(settings.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(ApacheHttpClient.builder().maxConnections(32))
        .build();
  }

  /**
   * Signs download links. Path-style, built here rather than by camel-aws2-s3, whose links ignore
   * path style (see STACK.md).
   */
  @Bean(destroyMethod = "close")
  S3Presigner s3Presigner(StorageSettings settings, EmbeddedS3OrNone embedded) {
    URI endpoint = settings.publicEndpoint() == null || settings.publicEndpoint().isBlank()
        ? endpoint(settings, embedded) : URI.create(settings.publicEndpoint());
    return S3Presigner.builder()
        .endpointOverride(endpoint)
        .region(Region.of(settings.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  private static URI endpoint(StorageSettings settings, EmbeddedS3OrNone embedded) {
    return embedded.server() != null ? embedded.server().endpoint() : URI.create(settings.endpoint());
  }

  /** Holds the in-process server when one runs, so its lifecycle follows the context. */
  record EmbeddedS3OrNone(EmbeddedS3 server) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (server != null) {
        server.close();
      }
    }
  }
}
