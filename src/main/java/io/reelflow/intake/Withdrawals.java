package io.reelflow.intake;

import io.reelflow.intake.ApiModel.Canceled;
import io.reelflow.video.Video;
import io.reelflow.video.VideoStatus;
import io.reelflow.video.Videos;
import java.util.List;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A user taking a video back: cancel (stop spending on it) and delete (remove its media and
 * data, keeping an audit row). Both are idempotent.
 */
@Component("withdrawals")
public class Withdrawals {

  private final VideoViews views;
  private final Videos videos;
  private final JdbcClient jdbc;

  Withdrawals(VideoViews views, Videos videos, JdbcClient jdbc) {
    this.views = views;
    this.videos = videos;
    this.jdbc = jdbc;
  }

  /**
   * Cancels a queued or running video; a canceled one is answered as is.
   *
   * @throws ApiException 409 {@code not_cancelable} for a video that already ended otherwise
   */
  public Canceled cancel(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    Video video = views.owned(caller, id);
    if (!video.status().isTerminal()) {
      videos.cancel(video.id());
      video = videos.find(video.id()).orElseThrow();
    }
    if (video.status() != VideoStatus.CANCELED) {
      throw ApiException.conflict("not_cancelable",
          "video " + video.id() + " already ended as " + video.status().dbName());
    }
    return new Canceled(video.id(), video.status().dbName());
  }

  /**
   * The video to delete, canceled first when still running so no worker writes to it again; null
   * when the caller already deleted it (a repeated DELETE).
   *
   * @throws ApiException 404 for an id the caller never had
   */
  public Video prepareDelete(@ExchangeProperty("caller") Caller caller, @Header("id") String id) {
    if (deletedBefore(caller, id)) {
      return null;
    }
    Video video = views.owned(caller, id);
    if (!video.status().isTerminal()) {
      videos.cancel(video.id());
    }
    return video;
  }

  /**
   * Deletes the video's rows (scenes, assets, events and notifications go with it) and writes the
   * audit row, after its objects were removed from storage.
   */
  @Transactional
  public void forget(@ExchangeProperty("video") Video video, @ExchangeProperty("objects") List<S3Object> objects) {
    long bytes = objects.stream().mapToLong(o -> o.size() == null ? 0 : o.size()).sum();
    int deleted = jdbc.sql("delete from videos where id = ?").param(video.id()).update();
    if (deleted == 1) {
      jdbc.sql("insert into video_deletions (video_id, user_id, status, objects_deleted, bytes_deleted, created_at)"
              + " values (?, ?, ?, ?, ?, ?) on conflict (video_id) do nothing")
          .params(video.id(), video.userId(), video.status().dbName(), objects.size(), bytes, video.createdAt())
          .update();
    }
  }

  private boolean deletedBefore(Caller caller, String id) {
    try {
      return jdbc.sql("select count(*) from video_deletions where video_id = ? and user_id = ?")
          .params(UUID.fromString(id), caller.userId()).query(Integer.class).single() > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Storage prefix holding every object of a video. */
  public static String prefix(Video video) {
    return "videos/" + video.id() + "/";
  }
}
