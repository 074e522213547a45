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
  private final Map<String, Object> extensions;
  private final Map<String, String> headers;

  public ApiException(int status, String code, String title, String detail, List<Map<String, String>> errors) {
    this(status, code, title, detail, errors, Map.of(), Map.of());
  }

  private ApiException(int status, String code, String title, String detail, List<Map<String, String>> errors,
      Map<String, Object> extensions, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
    this.extensions = extensions;
    this.headers = headers;
  }

  /** The same problem with extra members in the problem document (e.g. a moderation category). */
  public ApiException with(Map<String, Object> members) {
    return new ApiException(status, code, title, getMessage(), errors, members, headers);
  }

  /** The same problem with response headers (e.g. {@code Retry-After}). */
  public ApiException withHeaders(Map<String, String> responseHeaders) {
    return new ApiException(status, code, title, getMessage(), errors, extensions, responseHeaders);
  }

  /** 503 {@code code}: nothing was done, and the same request may succeed in a second ({@code Retry-After: 1}). */
  public static ApiException retryShortly(String code, String title, String detail) {
    return new ApiException(503, code, title, detail, List.of()).withHeaders(Map.of("Retry-After", "1"));
  }

  /** 503 {@code unavailable}: this instance is starting or stopping ({@code detail} says which); try again. */
  public static ApiException unavailable(String detail) {
    return retryShortly("unavailable", "Unavailable", detail);
  }

  public static ApiException rateLimited(String detail) {
    return new ApiException(429, "rate_limited", "Too many requests", detail, List.of());
  }

  public static ApiException quotaExceeded(String detail) {
    return new ApiException(429, "quota_exceeded", "Quota exceeded", detail, List.of());
  }

  public static ApiException conflict(String code, String detail) {
    return new ApiException(409, code, "Conflict", detail, List.of());
  }

  public static ApiException unauthorized() {
    return new ApiException(401, "unauthorized", "Unauthorized",
        "send a valid API key as 'Authorization: Bearer <key>'", List.of());
  }

  /** 413 {@code payload_too_large}: the body is larger than {@code detail} says is allowed. */
  public static ApiException payloadTooLarge(String detail) {
    return new ApiException(413, "payload_too_large", "Payload too large", detail, List.of());
  }

  public static ApiException notFound(Object id) {
    return new ApiException(404, "not_found", "Not found", "no video " + id, List.of());
  }

  /** One offending field (or query parameter, or header) of an {@code invalid_request}. */
  public static Map<String, String> fieldError(String field, String message) {
    return Map.of("field", field, "message", message);
  }

  /** {@code invalid_request} for a single offending field. */
  public static ApiException invalid(String field, String message) {
    return invalid(List.of(fieldError(field, message)));
  }

  public static ApiException invalid(List<Map<String, String>> errors) {
    return new ApiException(400, "invalid_request", "Invalid request",
        "the request has " + errors.size() + " invalid field(s)", errors);
  }

  /** Extra members of the problem document. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** Headers of the problem response. */
  public Map<String, String> headers() {
    return headers;
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
