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
 * Times {@code prepare} on the configured data (default: full Dolly, 100 Dirichlet clients) against two
 * baselines measured in the same JVM: Spark's own JSON reader counting the same file (the least any
 * pipeline over this input pays), and tokenizing every record once on one thread without Spark (the
 * work prepare cannot avoid; on N cores its floor is that time / N). Each of {@code repeats} runs writes
 * into a fresh temporary run directory. Local input only (the tokenization baseline reads the file).
 * Usage: PrepareBenchmark [repeats] [key=value overrides...]
 */
public final class PrepareBenchmark {
  private static List<io.fedit.data.InstructionRecord> readLocal(String path) throws java.io.IOException {
    List<io.fedit.data.InstructionRecord> out = new ArrayList<>();
    io.fedit.data.JsonRecordParser parser = new io.fedit.data.JsonRecordParser(new io.fedit.data.RecordValidator(null));
    try (var in = Files.newInputStream(Path.of(path))) {
      parser.parseLines(path, in, r -> {
        if (r.isOk()) out.add(r.record());
      });
    }
    return out;
  }

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<String> overrides = new ArrayList<>(args.length > 1 ? List.of(args).subList(1, args.length) : List.of());
    Path out = Files.createTempDirectory("fedit-bench-prepare");
    overrides.add("output.dir=" + out);
    SparkSession spark = SparkSessions.getOrCreate("fedit prepare benchmark");
    try {
      RunConfig base = ConfigLoader.load(null, overrides);
      spark.read().json(base.data().path()).count(); // warm-up: JIT and Spark's first job
      List<io.fedit.data.InstructionRecord> records = readLocal(base.data().path());
      for (int i = 0; i < repeats; i++) {
        long t0 = System.nanoTime();
        long n = spark.read().json(base.data().path()).count();
        double baseline = (System.nanoTime() - t0) / 1e9;
        long t2 = System.nanoTime();
        long tokens = 0;
        try (io.fedit.model.Tokenizer tokenizer = io.fedit.model.Tokenizer.load(Path.of(base.model().path()),
            io.fedit.model.ModelWeights.loadConfig(new org.apache.hadoop.fs.Path(base.model().path()),
                new org.apache.hadoop.conf.Configuration()))) {
          io.fedit.prepare.TokenCounter counter = new io.fedit.prepare.TokenCounter(
              tokenizer, io.fedit.data.PromptTemplate.named(base.data().promptTemplate()));
          for (io.fedit.data.InstructionRecord r : records) tokens += counter.count(r);
        }
        double tokenize = (System.nanoTime() - t2) / 1e9;
        List<String> o = new ArrayList<>(overrides);
        o.add("run.name=bench-" + i);
        long t1 = System.nanoTime();
        PrepareSummary s = PrepareJob.run(spark, ConfigLoader.load(null, o));
        double prepare = (System.nanoTime() - t1) / 1e9;
        System.out.printf(Locale.ROOT,
            "run %d: prepare %.2f s for %,d records (%,d tokens) | spark.read.json.count %.2f s (%,d rows): %.1fx"
                + " | tokenize on 1 thread %.2f s (%,d tokens): %.2fx%n",
            i, prepare, s.records(), s.tokens(), baseline, n, prepare / baseline, tokenize, tokens, prepare / tokenize);
      }
    } finally {
      spark.stop();
    }
  }
}
