package io.reelflow.provider;

import java.util.function.Supplier;

/**
 * What a provider said about one of its jobs, by a poll's answer or a webhook: still running,
 * finished with output to fetch, or ended in a failure.
 *
 * @param jobId the provider's id of the job
 * @param result {@link ProviderResult.Running} or {@link ProviderResult.Ready}; null for a failure
 * @param failure why the job ended; null unless it failed ({@link ProviderException#endedJob()})
 *     or the report could not be read
 */
public record JobReport(String jobId, ProviderResult result, ProviderException failure) {

  /** Reads a report; a {@link ProviderException} thrown by {@code reading} becomes its failure. */
  public static JobReport of(String jobId, Supplier<ProviderResult> reading) {
    try {
      return new JobReport(jobId, reading.get(), null);
    } catch (ProviderException e) {
      return new JobReport(jobId, null, e);
    }
  }

  /** Whether the report says where the job is: a state or a failure that ended the job. */
  public boolean conclusive() {
    return result != null || failure.endedJob();
  }
}
