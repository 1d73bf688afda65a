package io.fedit.job;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.PeftExport;
import io.fedit.config.RunConfig;
import io.fedit.fs.Publish;
import io.fedit.fs.WriterLock;
import io.fedit.layout.RunLayout;
import io.fedit.lora.MergedWeights;
import io.fedit.lora.PeftAdapter;
import io.fedit.model.LlamaConfig;
import io.fedit.model.ModelWeights;
import io.fedit.model.ModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fedit export}: a committed round's adapter as a PEFT directory, or with --merged a full Hugging Face
 * model directory with the adapter folded in. The output appears whole or not at all (written to a hidden
 * sibling directory, then renamed); a non-empty --out is never touched.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export round R of the configured run: the PEFT LoRA adapter (adapter_config.json + "
        + "adapter_model.safetensors), or with --merged the base model with the adapter merged in (config.json, "
        + "safetensors in the base's dtype, sharded above --max-shard-size, tokenizer files).")
public final class ExportCommand implements Callable<Integer> {
  @Mixin ConfigOptions config;

  @Option(names = "--round", paramLabel = "R", description = "Committed round to export (default: the last one).")
  Integer round;

  @Option(names = "--merged", description = "Write a full model with the adapter merged in instead of the adapter.")
  boolean merged;

  @Option(names = "--out", paramLabel = "DIR", required = true,
      description = "Output directory (local or Hadoop URI); must not exist or be empty.")
  String out;

  @Option(names = "--max-shard-size", paramLabel = "SIZE", defaultValue = "5GB",
      description = "With --merged: largest safetensors file before the weights are split into shards with an "
          + "index, as transformers' max_shard_size (e.g. 5GB, 500MB, 2000000; decimal units). Default: ${DEFAULT-VALUE}.")
  String maxShardSize;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    Configuration conf = new Configuration();
    long shardBytes = parseSize(maxShardSize);
    CheckpointStore store = CheckpointStore.forReading(cfg.runDir(), conf);
    int r = round != null ? round : store.lastCommittedRound().orElseThrow(
        () -> new IllegalArgumentException("run " + cfg.runDir() + " has no committed round to export"));
    if (!store.isCommitted(r)) {
      throw new IllegalArgumentException("round " + r + " is not committed in " + cfg.runDir() + " (committed: "
          + store.committedRounds() + ")");
    }
    store.verify(r); // every file of the round against its manifest
    Path modelDir = new Path(cfg.model().path());
    BaseModelCheck.requireTrainedOn(store.loadManifest(r), cfg.model().path(), conf, r);
    LlamaConfig base = ModelWeights.loadConfig(modelDir, conf);
    Path peftDir = store.peftDir(r);
    PeftAdapter adapter = PeftAdapter.read(peftDir, conf);
    adapter.requireFits(base, peftDir.toString());

    FileSystem fs = new Path(out).getFileSystem(conf);
    // Hadoop's local filesystem adds .crc side files; other tools read this directory, so write it plainly.
    if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
    Path target = fs.makeQualified(new Path(out));
    refuseInsideCommittedRound(fs, target);
    if (fs.exists(target) && (!fs.getFileStatus(target).isDirectory() || fs.listStatus(target).length > 0)) {
      throw new IllegalArgumentException("--out " + out + " exists and is not an empty directory; refusing to overwrite");
    }
    // One export into a target at a time; under that lock, what an interrupted export left is safe to remove.
    try (WriterLock lock = WriterLock.acquire(new Path(target.getParent(), "." + target.getName() + ".lock"), conf)) {
      String leftover = "." + target.getName() + ".tmp-";
      for (Path p : Publish.removeLeftovers(fs, target.getParent(), leftover, Duration.ZERO)) {
        System.out.println("export: removed " + p + ", left by an export that did not finish");
      }
      return write(fs, conf, target, r, modelDir, base, adapter, peftDir, shardBytes);
    }
  }

  /**
   * A committed round is immutable (its manifest lists every file): --out may not be one, or lie inside one,
   * of any run. A committed round is a round-NNNNN directory holding _SUCCESS.
   */
  static void refuseInsideCommittedRound(FileSystem fs, Path target) throws IOException {
    for (Path p = target; p != null && !p.isRoot(); p = p.getParent()) {
      if (RunLayout.parseRoundDir(p.getName()).isPresent() && fs.exists(new Path(p, RunLayout.SUCCESS_FILE))) {
        throw new IllegalArgumentException("--out " + target + " is " + (p.equals(target) ? "" : "inside ")
            + "the committed round " + p + "; a committed round is never written to: export somewhere else");
      }
    }
  }

  private Integer write(FileSystem fs, Configuration conf, Path target, int r, Path modelDir, LlamaConfig base, PeftAdapter adapter,
      Path peftDir, long shardBytes) throws IOException {
    // A dot name: the temporary stays out of sight in the user's folder too.
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try (Publish.Staged staged = Publish.stage(fs, target, temp)) {
      Path tmp = staged.temp();
      fs.mkdirs(tmp);
      String what;
      if (merged) {
        ModelWeights weights = MergedWeights.merge(ModelWeights.load(modelDir, conf), adapter);
        ModelWriter.copySideFiles(modelDir, modelDir.getFileSystem(conf), tmp, fs);
        List<String> files = ModelWriter.writeWeights(fs, tmp, weights, weights.storageDtype(), shardBytes);
        what = "merged model (" + base.modelType() + ", " + weights.storageDtype() + ", " + files.size() + " weight file"
            + (files.size() == 1 ? "" : "s") + ")";
      } else {
        try (InputStream in = fs.open(new Path(peftDir, PeftExport.CONFIG_FILE));
            OutputStream o = fs.create(new Path(tmp, PeftExport.CONFIG_FILE), false)) {
          in.transferTo(o);
        }
        try (OutputStream o = fs.create(new Path(tmp, PeftExport.WEIGHTS_FILE), false)) {
          PeftExport.standard().writeWeights(o, adapter.weights(), base.modelType());
        }
        what = "PEFT adapter (r " + adapter.r() + ", " + adapter.targetModules() + ")";
      }
      staged.publish(Publish.IfExists.REPLACE); // an empty directory (checked above); a non-empty one fails
      System.out.println("export: round " + r + " " + what + " -> " + target);
      return ExitCodes.OK;
    }
  }

  /** "5GB", "500MB", "10KB" (decimal, as transformers) or plain bytes. */
  static long parseSize(String s) {
    String t = s.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    for (String[] u : new String[][] {{"GB", "1000000000"}, {"MB", "1000000"}, {"KB", "1000"}, {"B", "1"}}) {
      if (t.endsWith(u[0])) {
        unit = Long.parseLong(u[1]);
        t = t.substring(0, t.length() - u[0].length()).trim();
        break;
      }
    }
    try {
      long v = Long.parseLong(t) * unit;
      if (v <= 0) throw new NumberFormatException();
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--max-shard-size must be a positive size such as 5GB or 500MB, got '" + s + "'");
    }
  }
}
