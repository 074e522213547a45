package io.reelflow.ops;

import io.reelflow.video.Videos;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last line of "every failure ends in a state a user can read": a video that has sat in a
 * running state past its deadline is failed with {@code timeout} and the stage it was in. Safe to
 * run on several instances at once (each failure is a compare-and-set).
 */
@Component("deadlines")
public class Deadlines {

  private final JdbcClient jdbc;
  private final Videos videos;
  private final int stallSeconds;

  Deadlines(JdbcClient jdbc, Videos videos, @Value("${reelflow.maintenance.stall-timeout-seconds}") int stallSeconds) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.stallSeconds = stallSeconds;
  }

  /** Fails every video that has not moved for longer than the stall timeout; returns how many. */
  public int failStalled() {
    List<Map<String, Object>> stalled =
        jdbc.sql(
                "select id, status from videos where status in ('queued', 'planning', 'generating', 'composing')"
                    + " and updated_at < now() - make_interval(secs => ?) limit 100")
            .param(stallSeconds)
            .query()
            .listOfRows();
    int failed = 0;
    for (Map<String, Object> row : stalled) {
      String stage = (String) row.get("status");
      if (videos.fail((UUID) row.get("id"), stage, "timeout",
          "no progress for " + stallSeconds + " s while " + stage, true)) {
        failed++;
      }
    }
    return failed;
  }
}
