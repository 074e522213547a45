package io.reelflow.intake;

import io.reelflow.intake.ApiModel.VideoPage;
import io.reelflow.intake.ApiModel.VideoSummary;
import io.reelflow.video.Json;
import io.reelflow.video.VideoOptions;
import io.reelflow.video.VideoStatus;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code GET /v1/videos}: the caller's videos, newest first, in keyset pages. The cursor is the
 * (created_at, id) of the last row sent, so a page is one index range scan on
 * {@code videos_user_created} (or {@code videos_user_status_created} with a status filter) however
 * deep the client pages, and rows inserted meanwhile never shift a page.
 */
@Component("videoListing")
public class VideoListing {

  private static final List<String> STATUSES = Arrays.stream(VideoStatus.values()).map(VideoStatus::dbName).toList();

  private final JdbcClient jdbc;
  private final Json json;

  VideoListing(JdbcClient jdbc, Json json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  /** The SQL of one page; public for the test that reads its plan. */
  public static String pageSql(boolean byStatus, boolean after, boolean fromCursor) {
    return "select id, status, original_prompt, options::text as options, created_at, completed_at, version"
        + " from videos where user_id = ?"
        + (byStatus ? " and status = ?" : "")
        + (after ? " and created_at > ?" : "")
        + (fromCursor ? " and (created_at, id) < (?, ?)" : "")
        + " order by created_at desc, id desc limit ?";
  }

  /**
   * @throws ApiException 400 {@code invalid_request} for a bad limit, cursor, status or date
   */
  public VideoPage page(@ExchangeProperty("caller") Caller caller, @Header("limit") String limit,
      @Header("cursor") String cursor, @Header("status") String status,
      @Header("created_after") String createdAfter) {
    List<Map<String, String>> errors = new ArrayList<>();
    int size = limit(limit, errors);
    Object[] position = cursor == null || cursor.isBlank() ? null : decode(cursor, errors);
    if (status != null && !status.isBlank() && !STATUSES.contains(status.toLowerCase(Locale.ROOT))) {
      errors.add(ApiException.fieldError("status", "must be one of " + String.join(", ", STATUSES)));
    }
    OffsetDateTime after = createdAfter == null || createdAfter.isBlank() ? null : date(createdAfter, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    boolean byStatus = status != null && !status.isBlank();
    List<Object> params = new ArrayList<>(List.of(caller.userId()));
    if (byStatus) {
      params.add(status.toLowerCase(Locale.ROOT));
    }
    if (after != null) {
      params.add(after);
    }
    if (position != null) {
      params.addAll(List.of(position));
    }
    params.add(size + 1);
    List<VideoSummary> rows = jdbc.sql(pageSql(byStatus, after != null, position != null))
        .params(params)
        .query((rs, n) -> summary(rs.getObject("id", UUID.class), rs.getString("status"),
            rs.getString("original_prompt"), rs.getString("options"),
            rs.getObject("created_at", OffsetDateTime.class), rs.getObject("completed_at", OffsetDateTime.class),
            rs.getInt("version")))
        .list();
    if (rows.size() <= size) {
      return new VideoPage(rows, null);
    }
    VideoSummary last = rows.get(size - 1);
    return new VideoPage(rows.subList(0, size), encode(last.createdAt(), last.id()));
  }

  private VideoSummary summary(UUID id, String status, String prompt, String options,
      OffsetDateTime createdAt, OffsetDateTime completedAt, int version) {
    return new VideoSummary(id, status, prompt, json.read(options, VideoOptions.class), createdAt, completedAt,
        VideoViews.links(id, VideoStatus.of(status), false, version));
  }

  private static int limit(String limit, List<Map<String, String>> errors) {
    if (limit == null || limit.isBlank()) {
      return 20;
    }
    try {
      int n = Integer.parseInt(limit.strip());
      if (n >= 1 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(ApiException.fieldError("limit", "must be an integer between 1 and 100"));
    return 20;
  }

  static String encode(OffsetDateTime createdAt, UUID id) {
    String raw = createdAt.toInstant() + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  private static Object[] decode(String cursor, List<Map<String, String>> errors) {
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|");
      return new Object[] {OffsetDateTime.parse(parts[0].replace("Z", "+00:00")), UUID.fromString(parts[1])};
    } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
      errors.add(ApiException.fieldError("cursor", "is not a cursor this API returned"));
      return null;
    }
  }

  private static OffsetDateTime date(String value, List<Map<String, String>> errors) {
    try {
      return OffsetDateTime.parse(value.strip());
    } catch (DateTimeParseException e) {
      errors.add(ApiException.fieldError("created_after", "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z"));
      return null;
    }
  }
}
