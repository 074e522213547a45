package io.reelflow.video;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where to tell the user about a video, stored as {@code videos.delivery}; not part of what is
 * rendered.
 *
 * @param callbackUrl webhook endpoint; null for the user's default
 * @param email address for email notifications; null for none
 * @param pushToken device token for push notifications; null for none
 */
public record Delivery(
    @JsonProperty("callback_url") String callbackUrl,
    @JsonProperty("email") String email,
    @JsonProperty("push_token") String pushToken) {

  public static final Delivery NONE = new Delivery(null, null, null);
}
