package io.reelflow.intake;

import java.util.List;
import java.util.Map;

/**
 * A request the API refuses, rendered as {@code application/problem+json} with a stable
 * {@link #code()}; never a 500, never a stack trace.
 */
public class ApiException extends RuntimeException {

  private final int status;
  private final String code;
  private final String title;
  private final List<Map<String, String>> errors;

  public ApiException(int status, String code, String title, String detail, List<Map<String, String>> errors) {
    super(detail);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "Unauthorized",
        "send a valid API key as 'Authorization: Bearer <key>'", List.of());
  }

  public static ApiException notFound(Object id) {
    return new ApiException(404, "not_found", "Not found", "no video " + id, List.of());
  }

  public static ApiException invalid(List<Map<String, String>> errors) {
    return new ApiException(400, "invalid_request", "Invalid request",
        "the request has " + errors.size() + " invalid field(s)", errors);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public String title() {
    return title;
  }

  /** Offending fields, each with {@code field} and {@code message}; empty when not a validation error. */
  public List<Map<String, String>> errors() {
    return errors;
  }
}
