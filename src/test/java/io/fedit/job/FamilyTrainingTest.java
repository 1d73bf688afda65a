package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.RunConfig;
import io.fedit.lora.AdapterWeights;
import io.fedit.lora.PeftAdapter;
import io.fedit.model.ModelWeights;
import io.fedit.testing.Configs;
import io.fedit.testing.FamilyFixtures;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A federated round on another family (the Mistral fixture, sliding window 48) with LoRA on all seven
 * projections, then both exports; and the refusal of a cutoff_len the window cannot hold.
 */
@Tag("slow") // trains runs of each model family; jobs/test --fast leaves it out
class FamilyTrainingTest {
  @TempDir Path dir;

  private String[] args(Path model, int cutoff, String... command) throws Exception {
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + TestPaths.dollySample(dir, 200), "output.dir=" + dir.resolve("runs"),
        "model.path=" + model, "partition.num_clients=2", "partition.min_records_per_client=20",
        "federation.client_fraction=1.0", "data.cutoff_len=" + cutoff, "train.batch_size=2", "train.micro_batch_size=2",
        "train.max_steps=2", "train.threads=1", "lora.r=4", "eval.every_rounds=0",
        "lora.target_modules=[q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]"}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  @Test
  void mistralTrainsOnAllProjectionsExportsAndRefusesSequencesBeyondTheWindow() throws Exception {
    Path model = FamilyFixtures.write("mistral", dir.resolve("mistral"));
    RunConfig tooLong = Configs.forTest(dir.resolve("runs"), "model.path=" + model, "data.cutoff_len=64");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunSetup.open(LocalSpark.get(), tooLong, System.out));
    assertTrue(e.getMessage().contains("data.cutoff_len 64") && e.getMessage().contains("sliding_window 48"), e.getMessage());

    assertEquals(ExitCodes.OK, FeditCli.run(args(model, 48, "round")));
    assertEquals(ExitCodes.OK, FeditCli.run(args(model, 48, "export", "--out", dir.resolve("peft").toString())));
    PeftAdapter peft = PeftAdapter.read(dir.resolve("peft"));
    assertEquals("mistral", peft.baseModelType());
    assertEquals(7, peft.targetModules().size());
    assertEquals(2 * 7 * 2, peft.weights().size(), "2 layers x 7 projections x (A, B)");
    AdapterWeights.Tensor b = peft.weights().get("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight");
    assertNotEquals(0f, maxAbs(b.values()), "training moved B away from zero");

    Path merged = dir.resolve("merged");
    assertEquals(ExitCodes.OK, FeditCli.run(args(model, 48, "export", "--merged", "--out", merged.toString())));
    assertTrue(Files.exists(merged.resolve("model.safetensors")));
    assertTrue(ModelWeights.load(merged).config().modelType().equals("mistral"));
  }

  private static float maxAbs(float[] v) {
    float m = 0;
    for (float x : v) m = Math.max(m, Math.abs(x));
    return m;
  }
}
