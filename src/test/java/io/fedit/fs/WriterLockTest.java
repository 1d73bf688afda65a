package io.fedit.fs;

import java.nio.file.Path;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;

/** {@link WriterLockContract} on the local file system. */
class WriterLockTest extends WriterLockContract {
  @TempDir Path dir;

  @Override
  org.apache.hadoop.fs.Path freshLockFile() {
    return new org.apache.hadoop.fs.Path(dir.resolve("run-" + UUID.randomUUID()).resolve("_writer.lock").toUri());
  }

  @Override
  Configuration conf() {
    return new Configuration();
  }
}
