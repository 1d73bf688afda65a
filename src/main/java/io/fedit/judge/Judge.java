package io.fedit.judge;

import io.fedit.seeds.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Grades a list of answers with at most {@code concurrency} requests in flight (a fixed pool of that
 * many threads on the driver, each sending one blocking request at a time). Results come back in the
 * input order whatever the completion order; every answer gets a row, failures included.
 */
public final class Judge {
  /** Purpose constant of the retry-jitter seeds ("JUDGEJIT"). */
  static final long JITTER = 0x4a5544474a4a4954L;

  private Judge() {}

  public static List<JudgedAnswer> gradeAll(ChatCompletionsClient client, String judgeModel, List<StoredAnswer> answers,
      int concurrency, long runSeed, Consumer<JudgedAnswer> progress) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "fedit-judge");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<JudgedAnswer>> futures = new ArrayList<>(answers.size());
      for (StoredAnswer a : answers) {
        long seed = Seeds.of(JITTER, runSeed, a.round(), a.split() + "/" + a.adapter() + "/" + a.recordId());
        futures.add(pool.submit(() -> {
          JudgedAnswer j = new JudgedAnswer(a, judgeModel, client.grade(a, seed));
          if (progress != null) progress.accept(j);
          return j;
        }));
      }
      List<JudgedAnswer> out = new ArrayList<>(answers.size());
      for (Future<JudgedAnswer> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("grading failed unexpectedly", e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
