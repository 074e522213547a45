package io.reelflow.intake;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random submission bodies, mostly wrong: raw garbage, truncated JSON, and objects mixing known
 * and unknown fields with values of every JSON type, edge numbers and hostile strings.
 */
public final class SubmissionBodies {

  private static final List<String> FIELDS = List.of("prompt", "duration_seconds", "aspect_ratio", "resolution",
      "mode", "tone", "style", "voice", "music", "captions", "reference_image_url", "callback_url", "notify",
      "cache", "colour", "", "__proto__", "prompt ");

  private SubmissionBodies() {}

  public static Arbitrary<String> bodies() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(200)),
        net.jqwik.api.Tuple.of(1, objects().map(s -> s.substring(0, s.length() / 2))),
        net.jqwik.api.Tuple.of(2, valid()),
        net.jqwik.api.Tuple.of(4, objects()));
  }

  /** Well-formed submissions with a random subset of valid options. */
  static Arbitrary<String> valid() {
    Arbitrary<String> option = Arbitraries.of("\"duration_seconds\": 5", "\"duration_seconds\": 120",
        "\"aspect_ratio\": \"9:16\"", "\"resolution\": \"480p\"", "\"mode\": \"story\"", "\"tone\": \"warm\"",
        "\"music\": false", "\"captions\": true", "\"cache\": \"off\"", "\"notify\": {\"email\": \"a@b.co\"}");
    Arbitrary<String> prompt = Arbitraries.strings().alpha().numeric().withChars(' ', ',', '.').ofMinLength(1).ofMaxLength(80)
        .filter(p -> !p.isBlank()).map(p -> "\"prompt\": " + quote("An ad: " + p));
    return Combinators.combine(prompt, option.set().ofMaxSize(4))
        .as((p, options) -> "{" + String.join(", ", java.util.stream.Stream.concat(java.util.stream.Stream.of(p),
            options.stream()).toList()) + "}");
  }

  static Arbitrary<String> objects() {
    Arbitrary<String> member = Combinators.combine(Arbitraries.of(FIELDS), values())
        .as((name, value) -> quote(name) + ": " + value);
    return member.list().ofMaxSize(8).map(members -> "{" + String.join(", ", members) + "}");
  }

  static Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60).map(SubmissionBodies::quote),
        Arbitraries.of("\"16:9\"", "\"9:16\"", "\"4:3\"", "\"720p\"", "\"1080p\"", "\"ad\"", "\"story\"", "\"off\"",
            "\"https://example.com/a.png\"", "\"http://127.0.0.1/\"", "\"file:///etc/passwd\"",
            "\"Create a 15-sec ad for tea\"", "\"\\u0000\"", "\"  \"", "\"%s%n{}'\\\"\"", "\"\\u202eevil\"",
            "{\"email\": \"a@b.co\"}", "{\"email\": 5}", "{\"push_token\": \"x\", \"x\": 1}"),
        Arbitraries.integers().between(-1000, 1000).map(String::valueOf),
        Arbitraries.of("5", "15", "120", "121", "0", "-1", "1e400", "15.5", "99999999999999999999", "NaN"),
        Arbitraries.of("true", "false", "null", "[]", "{}", "[1, 2]"));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
