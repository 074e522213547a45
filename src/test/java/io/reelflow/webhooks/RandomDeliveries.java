package io.reelflow.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reproducible random deliveries for cross-checking against the reference library: secrets of
 * every allowed length, message ids, and bodies mixing JSON, accents, CJK and emoji.
 */
final class RandomDeliveries {

  private static final long SEED = 20_240_117L;
  private static final int COUNT = 25;
  private static final String ID_ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int[][] CODE_POINT_RANGES = {
    {0x20, 0x7e}, {0x20, 0x7e}, {0x20, 0x7e}, {0xc0, 0x17f}, {0x4e00, 0x4fff}, {0x1f300, 0x1f64f}
  };

  /** One delivery: a {@code whsec_} secret, a message id and a body. */
  record Delivery(String secret, String msgId, String body) {

    byte[] bodyBytes() {
      return body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return msgId + " (" + bodyBytes().length + "-byte body)";
    }
  }

  private RandomDeliveries() {}

  static Stream<Delivery> deliveries() {
    Random random = new Random(SEED);
    return IntStream.range(0, COUNT).mapToObj(i -> aRandomDelivery(random, i));
  }

  private static Delivery aRandomDelivery(Random random, int index) {
    byte[] key = new byte[WebhookSecret.MIN_BYTES
        + random.nextInt(WebhookSecret.MAX_BYTES - WebhookSecret.MIN_BYTES + 1)];
    random.nextBytes(key);
    String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
    StringBuilder id = new StringBuilder("msg_");
    for (int i = 0; i < 27; i++) {
      id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
    }
    String body = index == 0 ? "" : aRandomBody(random);
    return new Delivery(secret, id.toString(), body);
  }

  private static String aRandomBody(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(400);
    for (int i = 0; i < length; i++) {
      int[] range = CODE_POINT_RANGES[random.nextInt(CODE_POINT_RANGES.length)];
      text.appendCodePoint(range[0] + random.nextInt(range[1] - range[0] + 1));
    }
    return "{\"type\":\"video.composed\",\"data\":{\"note\":\"" + text.toString()
        .replace("\\", "\\\\").replace("\"", "\\\"") + "\"},\"n\": " + random.nextLong() + "}\n";
  }
}
