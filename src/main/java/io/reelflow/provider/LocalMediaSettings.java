package io.reelflow.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The local media tools that make Reelflow work with no API key ({@code reelflow.local-media.*}).
 *
 * @param ffmpeg ffmpeg executable
 * @param espeak espeak-ng executable
 * @param voice espeak-ng voice
 * @param fontFile TrueType font for on-screen text
 * @param threads encoder threads per ffmpeg process
 * @param timeout longest a single tool run may take
 * @param nice the tools' scheduling niceness (0 to 19, 0 to run them at the JVM's own): the
 *     control work (claims, slot grants, provider calls) goes first when they compete for the CPU
 */
@ConfigurationProperties("reelflow.local-media")
public record LocalMediaSettings(
    String ffmpeg,
    String espeak,
    String voice,
    String fontFile,
    int threads,
    Duration timeout,
    int nice) {}
