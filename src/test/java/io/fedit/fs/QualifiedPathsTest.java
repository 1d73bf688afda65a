package io.fedit.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.testing.AliasFileSystem;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Issue 11 §1: every path setting is resolved once against the default filesystem and working directory. */
class QualifiedPathsTest {
  private static final String CWD = Path.of("").toAbsolutePath().toString();

  @Test
  void relativePathsGetTheWorkingDirectoryAndTheDefaultFilesystem() {
    RunConfig cfg = ConfigLoader.load(null, List.of("output.dir=hdfs://nn:8020/fedit/runs", "eval.vicuna_path="));
    RunConfig q = QualifiedPaths.of(cfg, new Configuration());
    assertEquals("file:" + CWD + "/data/stories260K-hf", q.model().path());
    assertEquals("file:" + CWD + "/data/dolly15k/train.jsonl", q.data().path());
    assertEquals("file:" + CWD + "/data/dolly15k/test.jsonl", q.eval().path());
    assertEquals("hdfs://nn:8020/fedit/runs", q.output().dir(), "a full URI stays as it is");
    assertEquals("", q.eval().vicunaPath(), "empty means off and stays empty");
    assertEquals(q, QualifiedPaths.of(q, new Configuration()), "qualifying twice changes nothing");

    // Where the default filesystem is another one (fs.defaultFS), relative paths land there.
    Configuration other = new Configuration();
    other.set("fs." + AliasFileSystem.SCHEME + ".impl", AliasFileSystem.class.getName());
    other.set("fs.defaultFS", AliasFileSystem.SCHEME + ":///");
    assertEquals(AliasFileSystem.SCHEME + ":" + CWD + "/data/stories260K-hf", QualifiedPaths.of(cfg, other).model().path());
    assertEquals("file:/abs/model", QualifiedPaths.of(ConfigLoader.load(null, List.of("model.path=file:/abs/model")), other)
        .model().path(), "an explicit scheme wins over the default");
  }
}
