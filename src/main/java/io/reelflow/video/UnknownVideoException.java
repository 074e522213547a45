package io.reelflow.video;

/**
 * A message names a video that does not exist. Nothing can be failed and nothing will ever
 * succeed, so the message is rejected to the queue's dead-letter queue without retries.
 */
public class UnknownVideoException extends RuntimeException {

  public UnknownVideoException(Object videoId) {
    super("unknown video " + videoId);
  }
}
