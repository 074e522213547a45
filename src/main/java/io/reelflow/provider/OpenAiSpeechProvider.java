package io.reelflow.provider;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelflow.video.SceneJob;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Voice-over from an OpenAI-compatible {@code POST /v1/audio/speech} (model, input, voice,
 * {@code response_format: wav}). The call is synchronous; the WAV is written to the work
 * directory and its length read from its header.
 */
public class OpenAiSpeechProvider implements SpeechProvider {

  private final String name;
  private final ProviderSettings.Remote remote;
  private final ProviderHttp http;
  private final ObjectMapper mapper;

  public OpenAiSpeechProvider(String name, ProviderSettings.Remote remote, ProviderHttp http, ObjectMapper mapper) {
    this.name = name;
    this.remote = remote;
    this.http = http;
    this.mapper = mapper;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ProviderResult start(SceneJob scene, Path workDir, String idempotencyKey) {
    long started = System.nanoTime();
    ObjectNode body = mapper.createObjectNode();
    body.put("model", remote.model());
    body.put("input", EspeakSpeechProvider.speakable(scene.audioScript()));
    body.put("voice", scene.options().voice() != null ? scene.options().voice()
        : remote.voice() == null ? "alloy" : remote.voice());
    body.put("response_format", "wav");
    ProviderHttp.Reply reply;
    try {
      reply = http.send("POST", remote.baseUrl() + "/v1/audio/speech",
          Map.of("Authorization", "Bearer " + remote.apiKey(), "Content-Type", "application/json"),
          mapper.writeValueAsBytes(body), remote.timeout());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (reply.status() != 200) {
      throw ProviderHttp.failure(reply, name, "speech");
    }
    Path output = workDir.resolve("speech-" + scene.sequenceNumber() + ".wav");
    int durationMs = durationMs(reply.body());
    try {
      Files.write(output, reply.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long latency = (System.nanoTime() - started) / 1_000_000;
    return new ProviderResult.Done(new RenderedMedia(output, "speech", "audio/wav", durationMs, name, latency));
  }

  private int durationMs(byte[] wav) {
    try {
      AudioFileFormat format = AudioSystem.getAudioFileFormat(new ByteArrayInputStream(wav));
      long frames = format.getFrameLength() > 0 ? format.getFrameLength()
          : (wav.length - 44L) / Math.max(1, format.getFormat().getFrameSize());
      return (int) Math.round(frames * 1000.0 / format.getFormat().getFrameRate());
    } catch (UnsupportedAudioFileException | IOException e) {
      throw ProviderException.retryable("provider_bad_answer", name + " answered audio that is not WAV", null);
    }
  }
}
