package io.fedit.checkpoint;

import org.apache.hadoop.conf.Configuration;

/** Commits fixture round 1 (with client updates) into the run directory given as the argument, then exits. */
public final class CommitProbe {
  private CommitProbe() {}

  public static void main(String[] args) throws Exception {
    new CheckpointStore(args[0], new Configuration()).commit(CheckpointFixtures.round(1, true));
  }
}
