package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fedit.client.LocalTrainer;
import io.fedit.client.TrainResult;
import io.fedit.config.RunConfig;
import io.fedit.data.InstructionRecord;
import io.fedit.lora.AdapterFactory;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.LoraTarget;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import io.fedit.testing.Configs;
import io.fedit.testing.FamilyFixtures;
import io.fedit.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another family trains: the Mistral fixture (sliding window 48) with LoRA on all seven projections through
 * the client trainer; and train/round refuse a cutoff_len that the window cannot hold before any Spark work.
 * (The Spark side of a round does not depend on the family; ExportCommandTest covers committed rounds.)
 */
class FamilyTrainingTest {
  @TempDir Path dir;

  @Test
  void mistralTrainsLoraOnAllProjections() throws Exception {
    Path model = FamilyFixtures.write("mistral", dir.resolve("mistral"));
    RunConfig cfg = Configs.forTest(dir.resolve("runs"), "model.path=" + model, "data.cutoff_len=48", "lora.r=4",
        "lora.target_modules=[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]", "train.batch_size=2",
        "train.micro_batch_size=2", "train.max_steps=3", "train.learning_rate=0.01");
    ModelWeights w = ModelWeights.load(model);
    List<InstructionRecord> records = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      records.add(new InstructionRecord("mem", i + 1, "Tell a story number " + i, "", "Once upon a time " + i, "", null));
    }
    AdapterWeights start = AdapterFactory.create(w.config(), cfg.lora(), 1);
    try (NDManager root = NDManager.newBaseManager(); LlamaModel m = LlamaModel.create(w, root, DataType.FLOAT32);
        Tokenizer tok = Tokenizer.load(model, w.config())) {
      TrainResult r = new LocalTrainer(m, tok, cfg).train(records, start, 7, 1);
      assertEquals(2 * 7 * 2, r.adapter().size(), "2 layers x 7 projections x (A, B)");
      for (String name : r.adapter().tensors().keySet()) {
        if (LoraTarget.isA(name)) continue;
        float max = 0;
        for (float v : r.adapter().get(name).values()) max = Math.max(max, Math.abs(v));
        assertTrue(max > 0, name + " did not move from zero");
      }
      assertTrue(r.adapter().firstNonFinite() == null && Double.isFinite(r.metrics().meanLoss()));
    }
  }

  @Test
  void cutoffLenBeyondTheSlidingWindowIsRefusedBeforePreparing() throws Exception {
    Path model = FamilyFixtures.write("mistral", dir.resolve("mistral"));
    RunConfig tooLong = Configs.forTest(dir.resolve("runs"), "model.path=" + model, "data.cutoff_len=64");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunSetup.open(LocalSpark.get(), tooLong, System.out));
    assertTrue(e.getMessage().contains("data.cutoff_len 64") && e.getMessage().contains("sliding_window 48"), e.getMessage());
  }
}
