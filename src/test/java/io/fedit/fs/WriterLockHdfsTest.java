package io.fedit.fs;

import io.fedit.testing.MiniHdfs;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** {@link WriterLockContract} on HDFS (an in-process minicluster). */
@Tag("slow") // HDFS minicluster; jobs/test --fast leaves it out
class WriterLockHdfsTest extends WriterLockContract {
  private static MiniHdfs hdfs;

  @BeforeAll
  static void start() throws Exception {
    hdfs = new MiniHdfs();
  }

  @AfterAll
  static void stop() throws Exception {
    hdfs.close();
  }

  @Override
  Path freshLockFile() {
    return new Path(hdfs.uri() + "/runs/run-" + UUID.randomUUID() + "/_writer.lock");
  }

  @Override
  Configuration conf() {
    return hdfs.conf();
  }
}
