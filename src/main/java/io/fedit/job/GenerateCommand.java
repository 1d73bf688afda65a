package io.fedit.job;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedit.data.PromptTemplate;
import io.fedit.lora.LoraAdapter;
import io.fedit.checkpoint.CommittedPeft;
import io.fedit.lora.PeftAdapter;
import io.fedit.model.Compute;
import io.fedit.model.Generator;
import io.fedit.model.LlamaConfig;
import io.fedit.model.LlamaModel;
import io.fedit.model.ModelWeights;
import io.fedit.model.SamplingParams;
import io.fedit.model.Tokenizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedit generate}: text from a base model (optionally with a LoRA adapter); only the continuation on stdout. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate a continuation with a Hugging Face Llama model directory (local or hdfs://), "
        + "optionally with a PEFT LoRA adapter. Prints only the generated text to stdout; logs go to stderr.")
public final class GenerateCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(GenerateCommand.class);

  @Option(names = "--model", defaultValue = "data/stories260K-hf",
      description = "Model directory (config.json, safetensors, tokenizer.json), local or Hadoop URI. Default: ${DEFAULT-VALUE}.")
  String model;

  @Option(names = "--prompt", defaultValue = "", description = "Instruction (alpaca) or raw text (none). Default: empty.")
  String prompt;

  @Option(names = "--input", defaultValue = "", description = "Optional context for the alpaca template.")
  String input;

  @Option(names = "--template", defaultValue = "alpaca", description = "alpaca or none (raw text). Default: ${DEFAULT-VALUE}.")
  String template;

  @Option(names = "--max-new-tokens", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
  double temperature;

  @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (0 = all).")
  int topK;

  @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass (1 = all).")
  double topP;

  @Option(names = "--seed", defaultValue = "0", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--adapter", description = "PEFT adapter directory (adapter_config.json + adapter_model.safetensors).")
  String adapter;

  @Option(names = "--dtype", defaultValue = "float32", description = "float32, float16 or bfloat16 (compute dtype, as model.dtype).")
  String dtype;

  @Option(names = "--device", defaultValue = "cpu", description = "cpu, gpu or auto. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--json",
      description = "Print one JSON object instead of the text: prompt_ids, generated_ids, text, finish_reason "
          + "(eos, length, or context_full when max_position_embeddings or the sliding window ends it).")
  boolean json;

  @Option(names = "--no-stop-at-eos", description = "Keep generating after EOS.")
  boolean noStop;

  @Option(names = "--threads", defaultValue = "1",
      description = "libtorch intra-op threads (ai.djl.pytorch.num_threads unless already set). Batch-1 decoding is "
          + "bound by per-op overhead: 1 thread is fastest and robust on a busy host. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Override
  public Integer call() throws Exception {
    // Must be set before the engine starts (the first NDManager).
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    }
    Configuration conf = new Configuration();
    Path dir = new Path(model);
    ModelWeights weights = ModelWeights.load(dir, conf);
    String text = template.toLowerCase(Locale.ROOT).equals("none")
        ? prompt // raw text as given: an empty prompt means "start from BOS"
        : PromptTemplate.named(template).prompt(prompt, input);
    SamplingParams params = new SamplingParams(maxNewTokens, temperature, topK, topP, seed, !noStop);
    try (NDManager root = NDManager.newBaseManager(Compute.device(device));
        LlamaModel m = LlamaModel.create(weights, root, Compute.dtype(dtype));
        Tokenizer tok = Tokenizer.load(dir, conf, weights.config())) {
      LoraAdapter lora = null;
      if (adapter != null) {
        CommittedPeft.verifyIfCommitted(new Path(adapter), conf);
        PeftAdapter peft = PeftAdapter.read(new Path(adapter), conf);
        peft.requireFits(weights.config(), adapter);
        lora = LoraAdapter.create(root, weights.config(), peft.weights(), peft.scaling(), 0, m.dtype());
        LOG.info("adapter {}: {} tensors, scaling {}", adapter, peft.weights().size(), peft.scaling());
      }
      try {
        long[] ids = tok.encode(text, true);
        long t0 = System.nanoTime();
        long[] out = new Generator(m).generate(ids, params, lora);
        double s = (System.nanoTime() - t0) / 1e9;
        LOG.info("{} prompt tokens, {} new tokens in {} s ({} tokens/s)", ids.length, out.length,
            String.format(Locale.ROOT, "%.2f", s), String.format(Locale.ROOT, "%.1f", out.length / s));
        System.out.println(json ? jsonLine(ids, out, tok.decode(out), finishReason(out, weights.config()))
            : tok.decode(out));
        System.out.flush();
      } finally {
        if (lora != null) lora.close();
      }
    }
    return ExitCodes.OK;
  }

  /** Why generation stopped: EOS, the --max-new-tokens budget, or the model's context. */
  private String finishReason(long[] generated, LlamaConfig config) {
    if (!noStop && generated.length > 0 && config.isStopToken(generated[generated.length - 1])) return "eos";
    return generated.length == maxNewTokens ? "length" : "context_full";
  }

  static String jsonLine(long[] promptIds, long[] generatedIds, String text, String finishReason) throws IOException {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("prompt_ids", promptIds);
    o.put("generated_ids", generatedIds);
    o.put("text", text);
    o.put("finish_reason", finishReason);
    return new ObjectMapper().writeValueAsString(o);
  }

  /** Standalone entry point until FeditCli registers the subcommand. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new GenerateCommand()).execute(args));
  }
}
