package io.fedit.judge;

import io.fedit.eval.EvalGenerationRow;
import io.fedit.eval.EvalTables;
import io.fedit.fs.HadoopPaths;
import io.fedit.layout.RunLayout;
import io.fedit.layout.RunLayout.Table;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * One round's answers from {@code <run>/metrics/eval_generations}, read by the table's owner
 * ({@link EvalTables#readGenerationsTable}) with the plain Parquet reader, so the judge needs no Spark. Rows
 * come sorted by split, adapter and record id.
 */
public final class StoredAnswers {
  private StoredAnswers() {}

  public static String table(String runDir) {
    return RunLayout.of(runDir).table(Table.EVAL_GENERATIONS).toString();
  }

  public static List<StoredAnswer> ofRound(Configuration conf, String runDir, int round) throws IOException {
    Path table = new Path(table(runDir));
    if (!HadoopPaths.fs(table.toString(), conf).exists(table)) {
      throw new IllegalArgumentException("no stored answers: " + HadoopPaths.display(table.toString())
          + " does not exist (run the evaluation with generation first)");
    }
    List<StoredAnswer> out = new ArrayList<>();
    for (EvalGenerationRow g : EvalTables.readGenerationsTable(conf, RunLayout.of(runDir))) {
      if (g.round() != round) continue;
      out.add(new StoredAnswer(round, g.adapter(), g.split(), g.recordId(), g.category(), g.prompt(), g.answer(),
          g.reference()));
    }
    out.sort(Comparator.comparing(StoredAnswer::split).thenComparing(StoredAnswer::adapter)
        .thenComparingLong(StoredAnswer::recordId));
    return out;
  }
}
