package io.fedit.data;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.prepare.PrepareJob;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §1: a "NameNode" that accepts connections and never answers (a hung process, a wrong service on the
 * port) fails prepare after the bounded call timeout (30 s), not Hadoop's default of 120 s per call.
 */
@Tag("slow") // waits out the 30 s bound
class SilentNameNodeTest {
  @TempDir Path dir;

  @Test
  void aServerThatNeverAnswersFailsWithinTheBound() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (ServerSocket server = new ServerSocket(0)) {
      Thread swallow = new Thread(() -> {
        try {
          while (true) {
            Socket s = server.accept();
            accepted.add(s);
            InputStream in = s.getInputStream();
            Thread reader = new Thread(() -> {
              try {
                in.transferTo(java.io.OutputStream.nullOutputStream());
              } catch (java.io.IOException closed) {
                // the client gave up
              }
            });
            reader.setDaemon(true);
            reader.start();
          }
        } catch (java.io.IOException closed) {
          // the test is over
        }
      });
      swallow.setDaemon(true);
      swallow.start();
      String data = "hdfs://127.0.0.1:" + server.getLocalPort() + "/data/dolly";
      RunConfig cfg = Configs.forTest(dir.resolve("runs"), "data.path=" + data);
      SparkSession spark = LocalSpark.get();
      long start = System.nanoTime();
      DataException e = assertThrows(DataException.class, () -> PrepareJob.run(spark, cfg));
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 45, "gave up after " + seconds + " s");
      assertTrue(e.getMessage().startsWith(data + ": its file system did not answer ("), e.getMessage());
    } finally {
      for (Socket s : accepted) s.close();
    }
  }
}
