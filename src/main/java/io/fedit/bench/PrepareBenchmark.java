package io.fedit.bench;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.prepare.PrepareJob;
import io.fedit.prepare.PrepareSummary;
import io.fedit.spark.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Times {@code prepare} on the configured data (default: full Dolly, 100 Dirichlet clients) against a
 * baseline measured in the same JVM: Spark's own JSON reader counting the same file, the least any
 * pipeline over this input pays. Each of {@code repeats} runs writes into a fresh temporary run directory.
 * Usage: PrepareBenchmark [repeats] [key=value overrides...]
 */
public final class PrepareBenchmark {
  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<String> overrides = new ArrayList<>(args.length > 1 ? List.of(args).subList(1, args.length) : List.of());
    Path out = Files.createTempDirectory("fedit-bench-prepare");
    overrides.add("output.dir=" + out);
    SparkSession spark = SparkSessions.getOrCreate("fedit prepare benchmark");
    try {
      RunConfig base = ConfigLoader.load(null, overrides);
      spark.read().json(base.data().path()).count(); // warm-up: JIT and Spark's first job
      for (int i = 0; i < repeats; i++) {
        long t0 = System.nanoTime();
        long n = spark.read().json(base.data().path()).count();
        double baseline = (System.nanoTime() - t0) / 1e9;
        List<String> o = new ArrayList<>(overrides);
        o.add("run.name=bench-" + i);
        long t1 = System.nanoTime();
        PrepareSummary s = PrepareJob.run(spark, ConfigLoader.load(null, o));
        double prepare = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT,
            "run %d: prepare %.2f s for %,d records (%,d tokens) | baseline spark.read.json.count %.2f s (%,d rows) | ratio %.1fx%n",
            i, prepare, s.records(), s.tokens(), baseline, n, prepare / baseline);
      }
    } finally {
      spark.stop();
    }
  }
}
