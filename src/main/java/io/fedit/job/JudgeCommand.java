package io.fedit.job;

import io.fedit.config.ConfigException;
import io.fedit.config.JudgeSection;
import io.fedit.config.RunConfig;
import io.fedit.fs.HadoopPaths;
import io.fedit.judge.ChatCompletionsClient;
import io.fedit.judge.Judge;
import io.fedit.judge.JudgeOutcome;
import io.fedit.judge.JudgeRetry;
import io.fedit.judge.JudgeScoreRow;
import io.fedit.judge.JudgeScoresTable;
import io.fedit.judge.JudgedAnswer;
import io.fedit.judge.StoredAnswer;
import io.fedit.judge.StoredAnswers;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fedit judge --round R}: grade round R's stored answers with a model-as-judge endpoint. */
@Command(name = "judge", mixinStandardHelpOptions = true,
    description = "Grade the answers stored for round R (metrics/eval_generations) 1-10 through an "
        + "OpenAI-compatible chat-completions endpoint (judge.base_url, judge.model; key from the environment "
        + "variable named by judge.api_key_env) and write metrics/judge_scores/round-R.parquet. A round already "
        + "judged is left alone unless --replace.")
public final class JudgeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(JudgeCommand.class);

  @Mixin ConfigOptions config;

  @Option(names = "--round", paramLabel = "R", required = true, description = "The round whose answers to grade")
  int round;

  @Option(names = "--replace", description = "Judge again and replace the round's existing scores")
  boolean replace;

  @Override
  public Integer call() throws Exception {
    RunConfig cfg = config.load(List.of());
    JudgeSection judge = cfg.judge();
    if (!judge.configured()) {
      throw new ConfigException("judge.base_url is not set: name an OpenAI-compatible endpoint, e.g. "
          + "--set judge.base_url=http://localhost:8000/v1 --set judge.model=NAME (vLLM, Ollama or a hosted API)");
    }
    String key = System.getenv(judge.apiKeyEnv());
    if (key == null || key.isBlank()) {
      LOG.info("environment variable {} is not set: requests carry no Authorization header", judge.apiKeyEnv());
    }
    Configuration conf = new Configuration();
    JudgeScoresTable table = new JudgeScoresTable(cfg.runDir(), conf);
    List<JudgeScoreRow> earlier = replace ? List.of() : table.readRound(round);
    if (!earlier.isEmpty() && earlier.stream().noneMatch(r -> JudgeOutcome.ERROR.equals(r.status()))) {
      System.out.println("judge: round " + round + " is already judged ("
          + HadoopPaths.display(table.file(round).toString()) + "); pass --replace to judge it again");
      return ExitCodes.OK;
    }
    List<StoredAnswer> answers = StoredAnswers.ofRound(conf, cfg.runDir(), round);
    if (answers.isEmpty()) {
      throw new IllegalArgumentException("no stored answers for round " + round + " in "
          + HadoopPaths.display(StoredAnswers.table(cfg.runDir())) + " (evaluate that round with generation first)");
    }
    // A rerun without --replace grades again only the answers whose call failed; the other rows are kept.
    JudgeRetry retry = new JudgeRetry(answers, earlier);
    List<StoredAnswer> toGrade = retry.toGrade();
    if (retry.keptCount() > 0) {
      System.out.println("judge: round " + round + ": retrying the " + toGrade.size() + " answers whose call failed; "
          + "the " + retry.keptCount() + " graded ones are kept");
    }
    System.out.println("judge: grading " + toGrade.size() + " answers of round " + round + " with " + judge.model()
        + " at " + judge.baseUrl() + " (" + judge.concurrency() + " at a time)");
    long start = System.nanoTime();
    java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
    int step = Math.max(1, toGrade.size() / 10);
    List<JudgedAnswer> graded = Judge.gradeAll(new ChatCompletionsClient(judge, key), judge.model(), toGrade,
        judge.concurrency(), cfg.run().seed(), j -> {
          int n = done.incrementAndGet();
          if (n % step == 0 || n == toGrade.size()) LOG.info("judged {}/{} answers", n, toGrade.size());
        });
    List<JudgedAnswer> judged = retry.merge(answers, graded);
    table.write(round, judged, replace || !earlier.isEmpty());
    summarize(judged, (System.nanoTime() - start) / 1e9);
    System.out.println("scores: " + HadoopPaths.display(table.file(round).toString()));
    if (!graded.isEmpty() && graded.stream().allMatch(j -> JudgeOutcome.ERROR.equals(j.outcome().status()))) {
      // Nothing this run sent came back graded: not a success. The rows are stored as errors; a rerun retries them.
      System.err.println("fedit: judge: all " + graded.size() + " calls to " + judge.baseUrl() + " failed (first: "
          + graded.get(0).outcome().detail() + "); rerun to retry them (graded rows are kept)");
      return ExitCodes.ROUND_FAILED;
    }
    return ExitCodes.OK;
  }

  /** One line per split: answers, how many were scored, their mean, and the failures. */
  private void summarize(List<JudgedAnswer> judged, double seconds) {
    Map<String, long[]> bySplit = new TreeMap<>(); // ok, unparseable, error, score sum
    for (JudgedAnswer j : judged) {
      long[] c = bySplit.computeIfAbsent(j.answer().split(), s -> new long[4]);
      switch (j.outcome().status()) {
        case JudgeOutcome.OK -> {
          c[0]++;
          c[3] += j.outcome().score();
        }
        case JudgeOutcome.UNPARSEABLE -> c[1]++;
        default -> c[2]++;
      }
    }
    bySplit.forEach((split, c) -> System.out.println(String.format(Locale.ROOT,
        "judge: round %d %-12s %d answers: %d scored (mean %s), %d unparseable, %d errors", round, split,
        c[0] + c[1] + c[2], c[0], c[0] == 0 ? "-" : String.format(Locale.ROOT, "%.2f", c[3] / (double) c[0]),
        c[1], c[2])));
    System.out.println(String.format(Locale.ROOT, "judge: %.1f s", seconds));
  }
}
