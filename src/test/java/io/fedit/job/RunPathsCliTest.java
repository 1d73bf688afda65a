package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.eval.EvalMetricsRow;
import io.fedit.eval.EvalTables;
import io.fedit.job.ModelAndAdapterRefusalsTest.Outcome;
import io.fedit.layout.RunLayout;
import io.fedit.layout.TableFiles;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §4: what evaluate and report write stays inside the run it belongs to. Before, evaluate --adapter of
 * a directory outside any run wrote its rows into the configured (default) run, report of a run that did not
 * exist created it, and evaluate of the base model before the first round put a round 0 into the run's tables
 * that train then wrote a second time.
 */
class RunPathsCliTest {
  @TempDir Path tmp;

  /** evaluate/report settings of run "exp" under tmp/runs: the tiny model, ten held-out records, no questions. */
  private String[] command(String... command) throws Exception {
    Path eval = tmp.resolve("eval.jsonl");
    if (!Files.exists(eval)) {
      List<String> lines = Files.readAllLines(TestPaths.dollyTest());
      List<String> sample = new ArrayList<>();
      for (int i = 0; i < lines.size(); i += 8) sample.add(lines.get(i));
      Files.write(eval, sample);
    }
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"output.dir=" + tmp.resolve("runs"), "run.name=exp",
        "model.path=" + TestPaths.tinyModel(), "data.path=" + TestPaths.dollyTrain(), "eval.path=" + eval,
        "eval.vicuna_path=", "data.cutoff_len=160"}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  private static Outcome cli(String... args) {
    LocalSpark.get(); // the command finds this session (and stops it)
    return ModelAndAdapterRefusalsTest.cli(args);
  }

  private static List<EvalMetricsRow> rows(Path table) throws Exception {
    List<EvalMetricsRow> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(table)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
        out.addAll(EvalTables.readMetrics(new Configuration(), new org.apache.hadoop.fs.Path(f.toUri())));
      }
    }
    return out;
  }

  @Test
  void reportOfARunThatDoesNotExistExitsTwoAndCreatesNothing() throws Exception {
    cli(command("report")).assertOneLineRefusal(ExitCodes.USAGE, "no run exp at ", "run.name", "output.dir");
    assertFalse(Files.exists(tmp.resolve("runs")), "nothing created");

    Files.createDirectories(tmp.resolve("runs/exp"));
    Outcome ok = cli(command("report"));
    assertEquals(ExitCodes.OK, ok.exit(), ok::toString);
    assertTrue(Files.exists(tmp.resolve("runs/exp/report.html")), "an existing run still gets its report");
  }

  @Test
  void evaluateOfAnAdapterOutsideTheRunStoresItsRowsOnlyWhereTheUserSays() throws Exception {
    Path peft = GenerateCommandTest.writePeft(tmp.resolve("elsewhere/adapter"),
        ModelAndAdapterRefusalsTest.randomAdapter(1));

    Outcome printed = cli(command("evaluate", "--no-generate", "--adapter", peft.toString()));
    assertEquals(ExitCodes.OK, printed.exit(), printed::toString);
    assertTrue(printed.out().contains("evaluate " + peft + " on dolly_test"), printed.out());
    assertTrue(printed.out().contains("rows not stored: " + peft + " is not inside run "), printed.out());
    assertTrue(printed.out().contains("pass --output DIR to keep them"), printed.out());
    assertFalse(Files.exists(tmp.resolve("runs")), "the unrelated configured run is left alone");
    try (Stream<Path> left = Files.list(tmp.resolve("elsewhere/adapter"))) {
      assertEquals(2, left.filter(p -> !p.getFileName().toString().startsWith(".")).count(), "adapter dir as it was");
    }

    Outcome stored = cli(command("evaluate", "--no-generate", "--adapter", peft.toString(),
        "--output", tmp.resolve("mine").toString()));
    assertEquals(ExitCodes.OK, stored.exit(), stored::toString);
    List<EvalMetricsRow> mine = rows(tmp.resolve("mine/metrics/eval_metrics"));
    assertFalse(mine.isEmpty());
    assertTrue(mine.stream().allMatch(r -> r.round() == -1 && r.adapter().equals(peft.toString())), mine.toString());
    assertFalse(Files.exists(tmp.resolve("runs")));
  }

  @Test
  void evaluateOfTheBaseBeforeTheFirstRoundLeavesRoundZeroOfTheRunToTrain() throws Exception {
    Outcome base = cli(command("evaluate", "--no-generate"));
    assertEquals(ExitCodes.OK, base.exit(), base::toString);
    Path run = tmp.resolve("runs/exp");
    List<EvalMetricsRow> beside = rows(run.resolve("evaluations/metrics/eval_metrics"));
    assertFalse(beside.isEmpty());
    assertTrue(beside.stream().allMatch(r -> r.round() == 0), beside.toString());

    // The run's own table holds no round 0 yet: train/round's base evaluation will be its only one.
    Configuration conf = new Configuration();
    RunLayout layout = RunLayout.of(run.toString());
    assertTrue(TableFiles.of(conf, layout.table(RunLayout.Table.EVAL_METRICS)).isEmpty(),
        "no evaluate rows in the run's eval table");
    org.apache.hadoop.fs.Path baseRound = layout.roundFile(RunLayout.Table.EVAL_METRICS, 0);
    assertFalse(baseRound.getFileSystem(conf).exists(baseRound), "train/round still evaluate the base themselves");
  }
}
