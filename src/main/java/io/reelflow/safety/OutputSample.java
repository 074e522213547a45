package io.reelflow.safety;

import java.nio.file.Path;

/**
 * A composed video as the output check sees it, before anyone can watch it.
 *
 * @param transcript every headline and voice-over of the video, one per line
 * @param contactSheet frames sampled from every scene, tiled into one JPEG (one image per call)
 */
public record OutputSample(String transcript, Path contactSheet) {}
