package io.fedit.checkpoint;

import io.fedit.layout.RunLayout;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A PEFT directory given by path ({@code generate --adapter}, {@code evaluate --adapter}) that is the
 * {@code peft/} folder of a committed round ({@code <run>/rounds/round-NNNNN/peft}, the round holding _SUCCESS)
 * is checked against that round's manifest before it is used, as {@code export} checks the whole round: a file
 * changed after the commit (on HDFS, or in a copy without Hadoop's .crc files, nothing else notices) is refused
 * naming the file. Any other directory is an ordinary PEFT adapter and is read as it is.
 */
public final class CommittedPeft {
  private CommittedPeft() {}

  public static void verifyIfCommitted(Path dir, Configuration conf) throws IOException {
    FileSystem fs = dir.getFileSystem(conf);
    Path peft = fs.makeQualified(dir);
    Path roundDir = peft.getParent();
    Path roundsDir = roundDir == null ? null : roundDir.getParent();
    if (!peft.getName().equals(RunLayout.PEFT_DIR) || roundsDir == null || roundsDir.getParent() == null) return;
    OptionalInt round = RunLayout.parseRoundDir(roundDir.getName());
    if (round.isEmpty() || !fs.exists(new Path(roundDir, RunLayout.SUCCESS_FILE))) return;
    RunLayout layout = new RunLayout(roundsDir.getParent());
    if (!layout.roundDir(round.getAsInt()).equals(roundDir)) return; // a round-NNNNN folder outside rounds/
    CommittedRounds rounds = new CommittedRounds(conf, fs, layout);
    rounds.verifyFiles(round.getAsInt(), List.of(RunLayout.PEFT_DIR + "/" + PeftExport.CONFIG_FILE,
        RunLayout.PEFT_DIR + "/" + PeftExport.WEIGHTS_FILE));
  }
}
