package io.reelflow.storage;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads media back from object storage for the steps that need local files (composition) and
 * checks what exists. Uploads go through camel-aws2-s3 endpoints in the routes.
 */
@Component
public class MediaStore {

  private static final Logger log = LoggerFactory.getLogger(MediaStore.class);

  private final S3Client s3;
  private final StorageSettings settings;

  public MediaStore(S3Client s3, StorageSettings settings) {
    this.s3 = s3;
    this.settings = settings;
  }

  /** Creates the bucket once the application is up; a storage outage does not stop start-up. */
  @EventListener(ApplicationReadyEvent.class)
  public void ensureBucket() {
    try {
      s3.createBucket(b -> b.bucket(settings.bucket()));
      log.info("created bucket {}", settings.bucket());
    } catch (BucketAlreadyOwnedByYouException e) {
      log.debug("bucket {} exists", settings.bucket());
    } catch (S3Exception e) {
      if (e.statusCode() != 409) {
        log.warn("cannot create bucket {}: {}", settings.bucket(), e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("object storage unreachable at start-up: {}", e.getMessage());
    }
  }

  /** Stores {@code bytes} under {@code key}, replacing any object there. */
  public void upload(String key, byte[] bytes, String contentType) {
    s3.putObject(b -> b.bucket(settings.bucket()).key(key).contentType(contentType), RequestBody.fromBytes(bytes));
  }

  /** Downloads {@code key} to {@code target}, replacing it. */
  public Path download(String key, Path target) {
    s3.getObject(b -> b.bucket(settings.bucket()).key(key), ResponseTransformer.toFile(target));
    return target;
  }

  /** True when an object is stored under {@code key}. */
  public boolean exists(String key) {
    try {
      s3.headObject(b -> b.bucket(settings.bucket()).key(key));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Keys under {@code prefix} last modified before {@code before}, at most {@code limit}, over all pages. */
  public java.util.List<String> keysOlderThan(String prefix, java.time.Instant before, int limit) {
    return s3.listObjectsV2Paginator(b -> b.bucket(settings.bucket()).prefix(prefix)).contents().stream()
        .filter(o -> o.lastModified() != null && o.lastModified().isBefore(before))
        .map(software.amazon.awssdk.services.s3.model.S3Object::key)
        .limit(limit)
        .toList();
  }

  /** Answers whether the bucket can be reached, for the health endpoint. */
  public boolean reachable() {
    s3.headBucket(b -> b.bucket(settings.bucket()));
    return true;
  }

  public String bucket() {
    return settings.bucket();
  }
}
