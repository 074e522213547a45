package io.reelflow.safety;

import java.util.Locale;

/**
 * The stable category codes, most serious first: when a prompt matches several, the verdict
 * names the first.
 */
enum Category {
  SEXUAL_MINORS,
  REAL_PERSON_LIKENESS,
  SELF_HARM,
  WEAPONS_INSTRUCTIONS,
  HATE,
  GRAPHIC_VIOLENCE,
  SEXUAL;

  /** The code clients and logs see, e.g. {@code sexual_minors}. */
  String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The category of {@code code}, or null when it names none (e.g. {@code benign}). */
  static Category of(String code) {
    for (Category category : values()) {
      if (category.code().equals(code)) {
        return category;
      }
    }
    return null;
  }
}
