package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What libtorch 2.7 (DJL's CPU build, OpenMP) does with the intra-op thread count, measured: at::set_num_threads
 * sets the calling thread's OpenMP ICV (which that thread's parallel regions use) and a process-wide default that
 * threads pick up lazily on their first ATen parallel call. So a trainer that sets its count on its own task
 * thread does not change the count of threads already running ops (here: the main thread), while threads that
 * have never run an op start from the last value set anywhere.
 */
class IntraOpThreadsTest {
  @Test
  void intraOpThreadCountIsPerCallingThreadWithAProcessDefaultForNewThreads() throws Exception {
    TrainerFixture.MODEL.config(); // engine loaded
    int main = JniUtils.getNumThreads();
    int other = main == 1 ? 2 : 1;
    AtomicInteger inA = new AtomicInteger(), seenByFresh = new AtomicInteger();
    run(() -> {
      JniUtils.setNumThreads(other);
      inA.set(JniUtils.getNumThreads());
    });
    run(() -> seenByFresh.set(JniUtils.getNumThreads()));
    run(() -> JniUtils.setNumThreads(main)); // restore the process default for later tests
    System.out.printf("main %d, A after set %d, fresh thread %d, main now %d%n", main, inA.get(), seenByFresh.get(),
        JniUtils.getNumThreads());
    assertEquals(other, inA.get());
    assertEquals(other, seenByFresh.get());
    assertEquals(main, JniUtils.getNumThreads());
  }

  private static void run(Runnable r) throws InterruptedException {
    Thread t = new Thread(r);
    t.start();
    t.join();
  }
}
