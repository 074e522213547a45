package io.reelflow.intake;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The public API's HTTP server ({@link ApiServer}).
 *
 * @param host address it binds
 * @param port port of the API, the provider webhooks and the page; 0 picks a free one (tests)
 * @param workers worker threads that run requests' routes, besides one per allowed event stream
 */
@ConfigurationProperties("reelflow.api.server")
public record ApiServerSettings(String host, int port, int workers) {}
