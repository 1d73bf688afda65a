package io.fedit.client;

import io.fedit.config.RunConfig;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalTrainerSmokeTest {
  @Test
  void smoke() {
    var cats = Set.of("brainstorming", "classification");
    var train = TrainerFixture.dolly("train", cats, 300);
    var test = TrainerFixture.dolly("test", cats, 100);
    for (String lr : new String[] {"0", "1e-3", "3e-3", "1e-2"}) {
      LocalTrainer t = TrainerFixture.trainer("data.cutoff_len=128", "train.learning_rate=" + lr, "train.batch_size=8",
          "train.micro_batch_size=8", "train.local_epochs=2");
      RunConfig cfg = TrainerFixture.config();
      var start = TrainerFixture.initial(cfg, 1);
      long t0 = System.nanoTime();
      double before = t.evaluate(test, start);
      TrainResult r = t.train(train, start, 7, 0);
      double after = t.evaluate(test, r.adapter());
      System.out.printf("lr %s before %.4f after %.4f steps %d tokens %d tok/s %.0f first %.4f last %.4f ms %d%n", lr, before,
          after, r.metrics().steps(), r.metrics().tokens(), r.metrics().tokensPerSecond(), r.metrics().firstLoss(),
          r.metrics().lastLoss(), (System.nanoTime() - t0) / 1000000);
    }
  }
}
