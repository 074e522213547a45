package io.reelflow.video;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One scene of a shot list the user wrote instead of having the video planned.
 *
 * @param headline the text on screen; null to take the first words of the voice-over
 * @param visualPrompt what the scene shows
 * @param audioScript what the voice-over says
 * @param durationSeconds its length, 3–8 s
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Shot(
    @JsonProperty("headline") String headline,
    @JsonProperty("visual_prompt") String visualPrompt,
    @JsonProperty("audio_script") String audioScript,
    @JsonProperty("duration_seconds") double durationSeconds) {}
