package io.fedit.checkpoint;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * manifest.json of a committed round: what produced it and a checksum of every file in the round
 * directory (paths relative to it). Written after all data files and before the rename and _SUCCESS;
 * _SUCCESS in turn holds the SHA-256 of manifest.json, so the whole round is covered.
 *
 * @param parentRound the round this one started from (the last committed round at commit time), -1 for none
 * @param inputHashes caller-provided fingerprints, e.g. base_model, tokenizer, data → hash string
 */
public record RoundManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("round") int round,
    @JsonProperty("parent_round") int parentRound,
    @JsonProperty("run_name") String runName,
    @JsonProperty("strategy") String strategy,
    @JsonProperty("config_yaml") String configYaml,
    @JsonProperty("input_hashes") Map<String, String> inputHashes,
    @JsonProperty("files") Map<String, FileEntry> files) {
  public static final int FORMAT_VERSION = 1;

  /** Size in bytes and lowercase hex SHA-256 of one file. */
  public record FileEntry(@JsonProperty("size") long size, @JsonProperty("sha256") String sha256) {}

  public RoundManifest {
    inputHashes = inputHashes == null ? Map.of() : new TreeMap<>(inputHashes);
    files = files == null ? Map.of() : new TreeMap<>(files);
  }
}
