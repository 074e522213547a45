/**
 * Outbound HTTP to addresses users choose (reference images, webhook callbacks): the
 * {@link io.reelflow.net.UrlPolicy} that admits a URL, and the {@link
 * io.reelflow.net.GuardedHttpClient} that applies the same address rules again when it connects,
 * so a name that changes its answer between check and connect (DNS rebinding) still cannot reach
 * loopback, private networks or a cloud metadata service. Owns nothing else: what is fetched and
 * where it is stored belongs to the caller.
 */
package io.reelflow.net;
