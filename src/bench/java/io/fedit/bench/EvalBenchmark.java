package io.fedit.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.data.PromptTemplate;
import io.fedit.eval.EvalExample;
import io.fedit.eval.EvalItem;
import io.fedit.eval.RecordScorer;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.Tokenizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CPU time of the parts of one held-out evaluation on one thread (libtorch at 1 intra-op thread, so its work
 * runs on the calling thread and counts in its CPU time): tokenizing the Dolly test split (context mode,
 * cutoff 512), scoring it, answering it, answering the Vicuna questions. CPU time is far less sensitive
 * than wall time to other processes on the machine. Usage: EvalBenchmark [maxNewTokens] [runs].
 */
public final class EvalBenchmark {
  private EvalBenchmark() {}

  public static void main(String[] args) throws Exception {
    int maxNew = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path dir = Path.of("data/stories260K-hf");
    ModelWeights w = ModelWeights.load(dir);
    LlamaModel model = LlamaModel.create(w, NDManager.newBaseManager(), DataType.FLOAT32);
    Tokenizer tok = Tokenizer.load(dir, w.config());
    JniUtils.setNumThreads(1);
    ObjectMapper json = new ObjectMapper();
    List<EvalItem> dolly = new ArrayList<>(), vicuna = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("data/dolly15k/test.jsonl"))) {
      JsonNode n = json.readTree(line);
      dolly.add(new EvalItem(dolly.size(), n.path("category").asText(), n.get("instruction").asText(),
          n.path("context").asText(""), n.get("response").asText()));
    }
    for (String line : Files.readAllLines(Path.of("data/vicuna80/question.jsonl"))) {
      JsonNode n = json.readTree(line);
      vicuna.add(new EvalItem(n.get("question_id").asLong(), n.path("category").asText(), n.get("turns").get(0).asText(), "", null));
    }
    RecordScorer scorer = new RecordScorer(model, tok, null);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.printf(Locale.ROOT, "%d cores, load %s; max_new_tokens %d; CPU seconds on one thread%n",
        Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim(), maxNew);
    System.out.println("| run | tokenize dolly (80) | score dolly | answer dolly | answer vicuna (80) |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (int r = 0; r < runs; r++) {
      long t0 = mx.getCurrentThreadCpuTime();
      List<EvalExample> ex = new ArrayList<>();
      for (EvalItem i : dolly) ex.add(EvalExample.of(i, tok, PromptTemplate.ALPACA, 512, true));
      long t1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < dolly.size(); i++) scorer.score(dolly.get(i), ex.get(i), 0);
      long t2 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < dolly.size(); i++) {
        EvalItem noRef = new EvalItem(i, "", "", "", null);
        scorer.score(noRef, new EvalExample(null, ex.get(i).generationPrompt(), 0), maxNew);
      }
      long t3 = mx.getCurrentThreadCpuTime();
      for (EvalItem v : vicuna) scorer.score(v, EvalExample.of(v, tok, PromptTemplate.ALPACA, 512, true), maxNew);
      long t4 = mx.getCurrentThreadCpuTime();
      System.out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.2f |%n", r + 1, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
          (t3 - t2) / 1e9, (t4 - t3) / 1e9);
    }
  }
}
