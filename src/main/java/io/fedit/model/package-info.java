/**
 * Hugging Face decoders of the Llama family (Llama 1-3.x, Mistral, Qwen2) in DJL: {@link io.fedit.model.LlamaConfig}
 * (config.json; family differences as data, with {@link io.fedit.model.RopeScaling}),
 * {@link io.fedit.model.Projection} (the table of the seven projections), {@link io.fedit.model.ModelWeights}
 * (safetensors, single or sharded, any Hadoop filesystem, or random) and {@link io.fedit.model.ModelWriter},
 * {@link io.fedit.model.LlamaModel} (the forward pass; in bfloat16 run by {@link io.fedit.model.ScriptedDecoder},
 * a TorchScript module, with {@link io.fedit.model.RopeTables} shared by both) with an optional
 * {@link io.fedit.model.LowRankDelta}
 * (what a LoRA adapter is to the model; this package never depends on {@code lora}),
 * {@link io.fedit.model.Tokenizer}, {@link io.fedit.model.Generator} with {@link io.fedit.model.KvCache},
 * {@link io.fedit.model.MemoryEstimate}.
 *
 * <h2>Training on this forward pass (what {@code io.fedit.client.LocalTrainer} does)</h2>
 * <pre>{@code
 * ModelWeights w = ModelWeights.load(dir, hadoopConf);            // cached per executor JVM
 * NDManager root = NDManager.newBaseManager();
 * LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32); // base weights: never require gradients
 * try (LoraAdapter lora = LoraAdapter.create(root, w.config(), global, scaling, dropout, FLOAT32)) {
 *   for (NDArray p : lora.parameters()) p.setRequiresGradient(true);  // A^T (in, r) and B^T (r, out)
 *   boolean before = Autograd.enable(true);                       // grad mode of THIS thread only
 *   for (each micro batch) {
 *     try (NDManager step = model.manager().newSubManager()) {
 *       NDArray logits = model.forward(step.create(ids, new Shape(B, T)), lora, true);  // dropout on
 *       NDArray loss = ...;                                       // masked next-token cross entropy
 *       Autograd.backward(loss, one);                             // this loss's graph only
 *     }
 *     (every batch_size examples) AdamW step on lora.parameters(), then Autograd.zeroGradient(p)
 *   }
 *   Autograd.enable(before);
 *   AdapterWeights update = lora.toAdapterWeights();             // PEFT names and shapes: A (r, in), B (out, r)
 * }
 * }</pre>
 * Never use DJL's {@code GradientCollector} here: it is a JVM-wide lock, and executors run several training
 * tasks at once (docs/PLATFORM_NOTES.md pitfall 3). Keep every scalar as a long-lived 0-d array (pitfall 1),
 * and never close an array created from Java memory while a same-dtype {@code toType} alias of it is in use
 * (pitfall 5).
 */
package io.fedit.model;
