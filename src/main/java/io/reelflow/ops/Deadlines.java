package io.reelflow.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.reelflow.generation.GenerationSettings;
import io.reelflow.video.Videos;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last line of "every failure ends in a state a user can read": a video that has sat queued,
 * planning or composing past the stall timeout is failed with {@code timeout} and the stage it
 * was in; a generating video (whose scenes may wait for provider slots for a long time) is
 * failed with {@code timeout} and stage {@code generating} once it is older than the video
 * deadline (counted from its latest edit or scene retry, if any). Safe to run on several instances at once (each failure is a compare-and-set).
 */
@Component("deadlines")
public class Deadlines {

  private final JdbcClient jdbc;
  private final Videos videos;
  private final int stallSeconds;
  private final GenerationSettings generation;
  private final MeterRegistry meters;

  Deadlines(JdbcClient jdbc, Videos videos, @Value("${reelflow.maintenance.stall-timeout-seconds}") int stallSeconds,
      GenerationSettings generation, MeterRegistry meters) {
    this.jdbc = jdbc;
    this.videos = videos;
    this.stallSeconds = stallSeconds;
    this.generation = generation;
    this.meters = meters;
  }

  /** Fails every video that has not moved for longer than the stall timeout; returns how many. */
  public int failStalled() {
    List<Map<String, Object>> stalled =
        jdbc.sql(
                "select id, status from videos where status in ('queued', 'planning', 'composing')"
                    + " and updated_at < now() - make_interval(secs => ?)"
                    + " union all select id, status from videos where status = 'generating'"
                    + " and coalesce(restarted_at, created_at) < now() - make_interval(secs => ?) limit 100")
            .params(stallSeconds, generation.videoDeadline().toSeconds())
            .query()
            .listOfRows();
    int failed = 0;
    for (Map<String, Object> row : stalled) {
      String stage = (String) row.get("status");
      boolean generating = "generating".equals(stage);
      if (videos.fail((UUID) row.get("id"), stage, "timeout",
          generating ? "not generated within the video deadline of " + generation.videoDeadline()
              : "no progress for " + stallSeconds + " s while " + stage, true)) {
        failed++;
      }
    }
    meters.counter("reelflow.reconciler.actions", "kind", "video_timed_out").increment(failed);
    return failed;
  }
}
