package io.fedit.round;

import io.fedit.config.TimeLimit;
import io.fedit.federation.update.ClientFailure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction1;
import scala.runtime.BoxedUnit;

/**
 * Runs a round's training job (one partition per sampled client) asynchronously and gathers the clients'
 * outcomes as their tasks finish, in arrival order. It stops waiting when every client has reported, when
 * {@code keep} usable updates have arrived (over-selection: the first to finish are kept), or at the
 * deadline; then it cancels the job's group, so that the executors are freed: a killed task stops at its next
 * optimizer step (or its sleep, in tests) and returns nothing; what a client task wrote is only in the round's
 * staging directory, which the round driver removes when the round is over (and the next writer's crash cleanup
 * removes if the driver died), so nothing is left behind. Clients that did not report in time are returned as {@code late}.
 *
 * <p>Which clients are kept depends on timing; what is done with them does not: the caller sorts the kept
 * outcomes by client id before validating and aggregating them.
 */
final class RoundTrainingJob {
  private static final Logger LOG = LoggerFactory.getLogger(RoundTrainingJob.class);
  /** How often the driver looks at the job while nothing arrives (a failed job is noticed this fast). */
  private static final long POLL_MS = 200;

  /**
   * What a round gathered.
   *
   * @param arrived outcomes that arrived before the round stopped waiting, in arrival order
   * @param late    one entry per client that did not report in time (attempt 0, reason saying why), by client id
   */
  record Gathered(List<ClientOutcome> arrived, List<ClientFailure> late) {}

  private RoundTrainingJob() {}

  /**
   * Runs {@code rdd} under the job group {@code group} (which the calling thread has set, with interruption on
   * cancel) and gathers its outcomes.
   *
   * @param clientIds the round's sampled clients (those of the RDD's partitions)
   * @param keep      stop once this many outcomes pass {@code usable} (the planned number of clients)
   * @param deadline  stop at this time after submission; NONE = wait as long as it takes
   */
  static Gathered run(JavaSparkContext jsc, String group, JavaRDD<ClientOutcome> rdd, int round,
      List<String> clientIds, int keep, TimeLimit deadline, Predicate<ClientOutcome> usable) {
    int parts = rdd.getNumPartitions();
    BlockingQueue<List<ClientOutcome>> arrivals = new LinkedBlockingQueue<>();
    List<Object> indexes = new ArrayList<>();
    for (int i = 0; i < parts; i++) indexes.add(i);
    long start = System.nanoTime();
    // The result handler runs on Spark's scheduler thread: it only hands the partition's outcomes over.
    SimpleFutureAction<BoxedUnit> job = jsc.sc().submitJob(rdd.rdd(), new CollectPartition(),
        scala.jdk.javaapi.CollectionConverters.asScala(indexes).toSeq(),
        (index, outcomes) -> {
          arrivals.add(outcomes);
          return BoxedUnit.UNIT;
        },
        () -> BoxedUnit.UNIT);

    List<ClientOutcome> arrived = new ArrayList<>();
    int reported = 0;
    int usableCount = 0;
    String cut = null; // why the round stopped waiting early; null when every client reported
    try {
      while (reported < parts) {
        long waitMs = POLL_MS;
        if (deadline.isSet()) {
          long left = deadline.millis() - (System.nanoTime() - start) / 1_000_000;
          if (left <= 0) {
            cut = "not finished within federation.round_deadline " + deadline;
            break;
          }
          waitMs = Math.min(waitMs, left);
        }
        List<ClientOutcome> got = arrivals.poll(waitMs, TimeUnit.MILLISECONDS);
        if (got == null) {
          if (job.isCompleted() && arrivals.isEmpty()) rethrowFailure(job, round);
          continue;
        }
        reported++;
        for (ClientOutcome o : got) {
          arrived.add(o);
          if (usable.test(o)) usableCount++;
        }
        if (usableCount >= keep && reported < parts) {
          cut = "over-selected: the " + keep + " planned clients' usable updates arrived first";
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      jsc.cancelJobGroup(group, "the driver was interrupted");
      throw new IllegalStateException("round " + round + ": interrupted while waiting for clients", e);
    }
    if (cut == null) return new Gathered(arrived, List.of());

    jsc.cancelJobGroup(group, "fedit round " + round + " stopped waiting: " + cut);
    Set<String> done = new HashSet<>();
    for (ClientOutcome o : arrived) done.add(clientOf(o));
    List<ClientFailure> late = new ArrayList<>();
    for (String id : clientIds.stream().sorted().toList()) {
      if (!done.contains(id)) late.add(new ClientFailure(round, id, 0, "late: " + cut));
    }
    LOG.info("round {}: stopped waiting after {} ms ({}); late: {}", round, (System.nanoTime() - start) / 1_000_000,
        cut, late.stream().map(ClientFailure::clientId).toList());
    return new Gathered(arrived, late);
  }

  static String clientOf(ClientOutcome o) {
    return o.update() != null ? o.update().clientId() : o.failure().clientId();
  }

  /** A job that ended before every partition reported failed: surface Spark's error as collect() would. */
  private static void rethrowFailure(SimpleFutureAction<BoxedUnit> job, int round) {
    scala.util.Try<BoxedUnit> result = job.value().get();
    if (result.isFailure()) result.get(); // throws the job's exception (SparkException), as collect() does
    throw new IllegalStateException("round " + round + ": the training job ended without every client reporting");
  }

  /** Runs on the executor: a partition's outcomes as a list (one client per partition). */
  private static final class CollectPartition
      extends AbstractFunction1<scala.collection.Iterator<ClientOutcome>, List<ClientOutcome>>
      implements Serializable {
    @Override
    public List<ClientOutcome> apply(scala.collection.Iterator<ClientOutcome> it) {
      List<ClientOutcome> out = new ArrayList<>();
      while (it.hasNext()) out.add(it.next());
      return out;
    }
  }
}
