package io.fedit.experiment;

import io.fedit.config.ConfigException;
import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.fs.Publish;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The paper's experiment from one configuration: for each seed, the four arms ({@link SeedExperiment}); each
 * seed's rows go to experiment/results when the seed is complete. A rerun with the same settings keeps the seeds
 * already in the table and runs only the missing ones (the federated runs resume from their committed rounds);
 * a rerun with other settings (other than the seed count) is refused.
 */
public final class Experiment {
  private final SparkSession spark;
  private final RunConfig cfg;
  private final PrintStream out;

  public Experiment(SparkSession spark, RunConfig cfg, PrintStream out) {
    this.spark = spark;
    this.cfg = cfg;
    this.out = out;
  }

  /** The run directory of the FedIT arm of {@code seed} (where its report goes). */
  public static String feditRunDir(RunConfig cfg, long seed) {
    return ArmConfigs.fedit(cfg, seed).runDir();
  }

  /** The experiment's results table: {@code <run dir>/experiment/results}. */
  public static String resultsDir(RunConfig cfg) {
    return RunLayout.of(cfg.runDir()).table(Table.EXPERIMENT_RESULTS).toString();
  }

  /** The experiment's directory: {@code <run dir>/experiment}. */
  public static String dir(RunConfig cfg) {
    return ArmConfigs.experimentDir(cfg);
  }

  /** A bare count above this is refused as a likely mistake for one seed (use a range for more). */
  static final int MAX_COUNT = 20;

  /**
   * Seeds from {@code --seeds}: a count N (run.seed .. run.seed + N - 1, N <= {@value #MAX_COUNT}), a range
   * {@code A-B}, or a comma-separated list ({@code 7,} is the one seed 7); null = experiment.seeds as a count.
   */
  public static List<Long> seeds(RunConfig cfg, String option) {
    List<Long> out = new ArrayList<>();
    String o = option == null ? null : option.trim();
    if (o != null && o.matches("\\d+\\s*-\\s*\\d+")) {
      String[] ab = o.split("\\s*-\\s*", 2);
      long a = Long.parseLong(ab[0]), b = Long.parseLong(ab[1]);
      if (b < a) throw new ConfigException("--seeds " + o + ": the range must not be empty (" + a + " > " + b + ")");
      if (b - a >= 1000) throw new ConfigException("--seeds " + o + ": more than 1000 seeds");
      for (long v = a; v <= b; v++) out.add(v);
      return out;
    }
    if (o == null || !o.contains(",")) {
      int n;
      try {
        n = o == null ? cfg.experiment().seeds() : Integer.parseInt(o);
      } catch (NumberFormatException e) {
        throw new ConfigException("--seeds must be a count, a range A-B or a comma-separated list of seeds, got '" + option + "'");
      }
      if (n <= 0) throw new ConfigException("--seeds must be > 0, got " + n);
      if (o != null && n > MAX_COUNT) {
        throw new ConfigException("--seeds " + n + " would run " + n + " seeds (" + cfg.run().seed() + " to "
            + (cfg.run().seed() + n - 1) + "); for the one seed " + n + " write --seeds " + n + ", and for many seeds a range such as --seeds "
            + cfg.run().seed() + "-" + (cfg.run().seed() + n - 1));
      }
      if (o != null && n > 1 && n == cfg.run().seed()) {
        // "--seeds 7" with run.seed 7 most likely means the one seed 7, not the seeds 7 to 13 (1 is both).
        throw new ConfigException("--seeds " + n + " equals run.seed and is read as a count: it would run the " + n
            + " seeds " + n + " to " + (n + n - 1) + "; for the one seed " + n + " write --seeds " + n + ", and for "
            + "those " + n + " seeds write --seeds " + n + "-" + (n + n - 1));
      }
      for (int i = 0; i < n; i++) out.add(cfg.run().seed() + i);
      return out;
    }
    for (String s : o.split(",")) {
      if (s.isBlank()) continue;
      try {
        long v = Long.parseLong(s.trim());
        if (!out.contains(v)) out.add(v);
      } catch (NumberFormatException e) {
        throw new ConfigException("--seeds: '" + s.trim() + "' is not an integer seed (in '" + option + "')");
      }
    }
    if (out.isEmpty()) throw new ConfigException("--seeds '" + option + "' names no seed");
    return out;
  }

  /** Runs the seeds not yet in the table, prints the tables; returns the rows of {@code seeds}. */
  public List<ExperimentRow> run(List<Long> seeds) throws IOException {
    if (cfg.privacy().redactsClientMetrics()) {
      throw new ConfigException("experiment: the centralized arm's budget is the FedIT run's training tokens, read from "
          + "client_metrics, which privacy.client_metrics: redacted withholds; set privacy.client_metrics: full for an "
          + "experiment with privacy on");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkOrSaveSettings(conf);
    RunLayout run = RunLayout.of(cfg.runDir());
    ExperimentResults results = new ExperimentResults(conf, run);
    RecordScoresTable recordScores = new RecordScoresTable(conf, run);
    for (long seed : seeds) {
      if (results.has(seed)) {
        out.println("experiment: seed " + seed + " already in " + HadoopPaths.display(results.table().toString()) + "; kept");
        continue;
      }
      out.println("experiment: seed " + seed + ": FedIT, local-only, centralized and base");
      SeedExperiment.Outcome o = new SeedExperiment(spark, cfg, seed, out).run();
      if (!recordScores.has(seed)) recordScores.write(seed, o.recordScores()); // left by a run stopped in between
      results.write(seed, o.rows());
    }
    List<ExperimentRow> rows = results.readAll().stream().filter(r -> seeds.contains(r.seed())).toList();
    ResultsConsole.print(rows, out);
    out.println("results: " + HadoopPaths.display(results.table().toString()) + " (Parquet, one file per seed)");
    Map<Long, List<RecordScoresTable.Row>> scored = new TreeMap<>();
    for (long seed : seeds) {
      if (recordScores.has(seed)) {
        scored.put(seed, recordScores.read(seed));
      } else {
        out.println("experiment: seed " + seed + " has no " + Table.EXPERIMENT_RECORD_SCORES.dirName() + " (run by a "
            + "version that did not keep them); it is left out of the comparisons below. Delete "
            + Table.EXPERIMENT_RESULTS.dirName() + "/" + RunLayout.seedFileName(seed)
            + " to rerun its solo arms and evaluation (its federated run is kept).");
      }
    }
    if (!scored.isEmpty()) {
      List<Comparisons.Row> comparisons = Comparisons.compute(scored, cfg.experiment().bootstrapSamples());
      Comparisons.print(comparisons, out);
      Comparisons.write(conf, run, comparisons);
      out.println("comparisons: " + HadoopPaths.display(run.table(Table.EXPERIMENT_COMPARISONS).toString())
          + " (Parquet; per split, category and seed, and pooled over the seeds)");
    }
    return rows;
  }

  /**
   * The settings file of an existing experiment must match; a new experiment writes it (temp file, rename).
   * The saved file is read over today's defaults, so settings added since it was written compare equal when
   * they keep their defaults; a mismatch names the settings that differ.
   */
  private void checkOrSaveSettings(Configuration conf) throws IOException {
    RunConfig now = ArmConfigs.identity(cfg);
    String yaml = ConfigLoader.toYaml(now);
    Path file = RunLayout.of(cfg.runDir()).experimentSettings();
    FileSystem fs = file.getFileSystem(conf);
    if (fs.exists(file)) {
      String was;
      try (var in = fs.open(file)) {
        was = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      List<String> differ = ConfigLoader.differences(ArmConfigs.identity(ConfigLoader.fromYaml(was)), now);
      if (!differ.isEmpty()) {
        throw new ConfigException("experiment " + HadoopPaths.display(dir(cfg)) + " was run with other settings (see "
            + file.getName() + " there): " + String.join("; ", differ)
            + "; rerun it with those settings (more --seeds are fine) or choose another run.name");
      }
      return;
    }
    Publish.bytes(fs, file, Publish.IfExists.REFUSE, yaml.getBytes(StandardCharsets.UTF_8));
  }
}
