package io.reelflow.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Object storage for every byte of media ({@code reelflow.storage.*}).
 *
 * @param endpoint S3 endpoint URL; empty starts the in-process S3 server (S3Proxy)
 * @param bucket bucket holding all media of this installation
 * @param region signing region
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param embeddedPort port of the in-process S3 server; 0 picks a free port
 * @param embeddedDirectory directory of the in-process S3 server's filesystem blob store
 * @param publicEndpoint endpoint that download links point at, as clients reach it; empty for
 *     the endpoint Reelflow itself uses
 */
@ConfigurationProperties("reelflow.storage")
public record StorageSettings(
    String endpoint,
    String bucket,
    String region,
    String accessKey,
    String secretKey,
    int embeddedPort,
    String embeddedDirectory,
    String publicEndpoint) {

  /** True when no external endpoint is configured and Reelflow runs its own S3 server. */
  public boolean embedded() {
    return endpoint == null || endpoint.isBlank();
  }
}
