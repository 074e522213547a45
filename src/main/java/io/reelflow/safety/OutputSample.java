package io.reelflow.safety;

import java.nio.file.Path;
import java.util.List;

/**
 * A composed video as the output check sees it, before anyone can watch it.
 *
 * @param transcript every headline and voice-over of the video, one per line
 * @param frames JPEG frames sampled from every scene
 * @param contactSheet the same frames tiled into one JPEG, for checkers that take one image per call
 */
public record OutputSample(String transcript, List<Path> frames, Path contactSheet) {}
