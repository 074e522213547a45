package io.reelflow.cost;

import java.math.BigDecimal;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Prices and budgets ({@code reelflow.costs.*}).
 *
 * @param prices per provider name: what a second of its media or a character of its speech costs
 * @param dailyBudget per tier: what one user may commit in 24 hours (spent, plus the estimates of
 *     their unfinished videos); a tier without an entry has no budget
 */
@ConfigurationProperties("reelflow.costs")
public record CostSettings(Map<String, Price> prices, Map<String, BigDecimal> dailyBudget) {

  public CostSettings {
    prices = prices == null ? Map.of() : Map.copyOf(prices);
    dailyBudget = dailyBudget == null ? Map.of() : Map.copyOf(dailyBudget);
  }

  /** A provider's price: per second of video or music, per character of speech. */
  public record Price(BigDecimal perSecond, BigDecimal perCharacter) {

    public Price {
      perSecond = perSecond == null ? BigDecimal.ZERO : perSecond;
      perCharacter = perCharacter == null ? BigDecimal.ZERO : perCharacter;
    }
  }

  Price priceOf(String provider) {
    return prices.getOrDefault(provider, new Price(null, null));
  }
}
