package io.fedit.model;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The model's tokenizer.json through DJL's Hugging Face tokenizers: offline, never truncating (DJL's
 * default would cut at 512 tokens), special tokens added by us (BOS) rather than by the post-processor.
 */
public final class Tokenizer implements AutoCloseable {
  private final HuggingFaceTokenizer tokenizer;
  private final int bos;
  private final int eos;

  private Tokenizer(HuggingFaceTokenizer tokenizer, int bos, int eos) {
    this.tokenizer = tokenizer;
    this.bos = bos;
    this.eos = eos;
  }

  /** Loads dir/tokenizer.json from a local path. */
  public static Tokenizer load(java.nio.file.Path dir, LlamaConfig config) throws IOException {
    return load(new Path(dir.toAbsolutePath().toUri()), new Configuration(), config);
  }

  /** Loads dir/tokenizer.json from any Hadoop filesystem. */
  public static Tokenizer load(Path dir, Configuration conf, LlamaConfig config) throws IOException {
    Path file = new Path(dir, "tokenizer.json");
    FileSystem fs = file.getFileSystem(conf);
    if (!fs.exists(file)) throw new ModelException(dir + " has no tokenizer.json");
    byte[] json;
    try (InputStream in = fs.open(file)) {
      json = in.readAllBytes();
    }
    TokenizerIds.requireBelow(json, config.vocabSize(), file.toString());
    return fromStream(new java.io.ByteArrayInputStream(json), config.bosTokenId(), config.eosTokenId());
  }

  /** A tokenizer from the content of a tokenizer.json (e.g. broadcast bytes) and the model's BOS and EOS ids. */
  public static Tokenizer fromStream(InputStream tokenizerJson, int bos, int eos) throws IOException {
    Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");
    return new Tokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, options), bos, eos);
  }

  /** Token ids of {@code text}, optionally preceded by BOS. */
  public long[] encode(String text, boolean addBos) {
    long[] ids = tokenizer.encode(text, false, false).getIds();
    if (!addBos) return ids;
    long[] out = new long[ids.length + 1];
    out[0] = bos;
    System.arraycopy(ids, 0, out, 1, ids.length);
    return out;
  }

  /** Text of the ids, special tokens (BOS, EOS) skipped. */
  public String decode(long[] ids) {
    return tokenizer.decode(ids, true);
  }

  public int bosId() {
    return bos;
  }

  public int eosId() {
    return eos;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
