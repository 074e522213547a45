package io.reelflow.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelflow.safety.ModerationUnavailableException;
import io.reelflow.video.Json;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class ProblemsTest {

  private final ObjectMapper mapper = new ObjectMapper();

  @Test
  void anUnavailableModeratorIsA503WithItsOwnCode() throws Exception {
    Exchange exchange = render(new ModerationUnavailableException("the moderation provider is unavailable"));

    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
    assertThat(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE)).isEqualTo("application/problem+json");
    assertThat(body(exchange).get("code").asText()).isEqualTo("moderation_unavailable");
  }

  @Test
  void extraMembersAndHeadersReachTheResponseButRequestHeadersDoNot() throws Exception {
    ApiException limited = ApiException.quotaExceeded("too many").with(Map.of("quota", "per_day"))
        .withHeaders(Map.of("Retry-After", "42"));
    Exchange exchange = render(limited);

    assertThat(exchange.getMessage().getHeader("Retry-After")).isEqualTo("42");
    assertThat(exchange.getMessage().getHeader("Authorization")).isNull();
    assertThat(exchange.getMessage().getHeader("RateLimit-Remaining")).isEqualTo("0");
    assertThat(body(exchange).get("quota").asText()).isEqualTo("per_day");
    assertThat(body(exchange).get("status").asInt()).isEqualTo(429);
  }

  @Test
  void aTransactionThatKeptLosingADeadlockIsA503BusyWithRetryAfterAndNoSql() throws Exception {
    Exchange exchange = render(new org.springframework.dao.PessimisticLockingFailureException(
        "PreparedStatementCallback; SQL [delete from videos where id = ?]; ERROR: deadlock detected"));

    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(503);
    assertThat(exchange.getMessage().getHeader("Retry-After")).isEqualTo("1");
    assertThat(body(exchange).get("code").asText()).isEqualTo("busy");
    assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("delete from").doesNotContain("deadlock");
  }

  @Test
  void anUnexpectedFailureNamesNoInternals() throws Exception {
    Exchange exchange = render(new IllegalStateException("connection to 10.0.0.7:5432 refused"));

    assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(500);
    assertThat(exchange.getMessage().getBody(String.class)).doesNotContain("10.0.0.7").doesNotContain("IllegalState");
  }

  private Exchange render(Throwable cause) throws Exception {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.getMessage().setHeader("Authorization", "Bearer rf_secret");
    exchange.getMessage().setHeader("RateLimit-Remaining", "0");
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
    new Problems(new Json(mapper)).render(exchange);
    return exchange;
  }

  private JsonNode body(Exchange exchange) throws Exception {
    return mapper.readTree(exchange.getMessage().getBody(String.class));
  }

}
