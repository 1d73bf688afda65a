package io.fedit.prepare;

import io.fedit.config.RunConfig;
import io.fedit.partition.Assignment;
import io.fedit.partition.ClientPartitioner;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each valid record goes, decided on the driver from the records' keys alone: held out of training
 * ({@link HoldoutSplit}, before partitioning) or assigned to one client ({@link ClientPartitioner}, over the
 * records left for training only).
 *
 * @param roles            record id -> HoldoutSplit role (TRAIN, HELD_OUT, VALIDATE)
 * @param assignment       the training records' clients, in record-id order of the training records
 * @param trainCategories  the training records' categories, in the same order
 * @param clientOfRecord   record id -> client index into assignment.clientIds(), -1 when held out
 */
record RecordPlacement(byte[] roles, Assignment assignment, List<String> trainCategories, int[] clientOfRecord) {

  /**
   * {@code keys}: {category, client key} of every valid record, by record id ((file, line) order). Held out by
   * eval.holdout_records / eval.validation_records and run.seed, then partitioned by the partition section.
   */
  static RecordPlacement of(List<String[]> keys, RunConfig cfg) {
    byte[] roles = HoldoutSplit.roles(keys.size(), cfg.eval().holdoutRecords(), cfg.eval().validationRecords(),
        cfg.run().seed());
    List<String[]> trainKeys = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) if (roles[i] == HoldoutSplit.TRAIN) trainKeys.add(keys.get(i));
    List<String> categories = trainKeys.stream().map(k -> k[0]).toList();
    Assignment assignment = partition(trainKeys, categories, cfg);
    int[] clientOfRecord = new int[keys.size()];
    for (int i = 0, t = 0; i < keys.size(); i++) clientOfRecord[i] = roles[i] == HoldoutSplit.TRAIN ? assignment.clientOf()[t++] : -1;
    return new RecordPlacement(roles, assignment, categories, clientOfRecord);
  }

  /** Clients of the training records: by category, or by data.client_key_column with partition.method=column. */
  private static Assignment partition(List<String[]> trainKeys, List<String> categories, RunConfig cfg) {
    String keyColumn = cfg.partition().method().equals("column") ? cfg.data().clientKeyColumn() : null;
    List<String> partitionKeys = keyColumn == null ? categories : trainKeys.stream().map(k -> k[1]).toList();
    return ClientPartitioner.of(cfg.partition()).assign(partitionKeys, cfg.run().seed());
  }

  /** All valid records (training and held out). */
  int records() {
    return roles.length;
  }

  /** Records left for the clients. */
  int trainRecords() {
    return trainCategories.size();
  }
}
