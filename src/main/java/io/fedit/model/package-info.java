/**
 * Hugging Face decoders of the Llama family (Llama 1-3.x, Mistral, Qwen2) in DJL: {@link io.fedit.model.LlamaConfig}
 * (config.json; family differences as data, with {@link io.fedit.model.RopeScaling}),
 * {@link io.fedit.model.Projection} (the table of the seven projections), {@link io.fedit.model.ModelWeights}
 * (safetensors, single or sharded, any Hadoop filesystem, or random) and {@link io.fedit.model.ModelWriter},
 * {@link io.fedit.model.LlamaModel} (the forward pass) with an optional {@link io.fedit.model.LowRankDelta}
 * (what a LoRA adapter is to the model; this package never depends on {@code lora}),
 * {@link io.fedit.model.Tokenizer}, {@link io.fedit.model.Generator} with {@link io.fedit.model.KvCache},
 * {@link io.fedit.model.MemoryEstimate}.
 *
 * <h2>Training on this forward pass (what a trainer does)</h2>
 * <pre>{@code
 * ModelWeights w = ModelWeights.load(dir, hadoopConf);            // cache per executor JVM
 * NDManager root = NDManager.newBaseManager();
 * LlamaModel model = LlamaModel.create(w, root, DataType.FLOAT32); // base weights: never require gradients
 * AdapterWeights global = ...;                                     // or AdapterFactory.create(cfg, lora, seed)
 * try (LoraAdapter lora = LoraAdapter.create(root, w.config(), global, lora.scaling(), lora.dropout(), FLOAT32)) {
 *   for (NDArray p : lora.parameters()) p.setRequiresGradient(true);  // A^T (in, r) and B^T (r, out)
 *   for (each batch) {
 *     try (NDManager step = model.manager().newSubManager();
 *          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
 *       NDArray ids = step.create(longIds, new Shape(B, T));        // right-padded
 *       NDArray logits = model.forward(ids, lora, true);            // (B, T, V) float32, dropout on
 *       NDArray loss = ...;                                         // masked next-token cross entropy
 *       gc.backward(loss);                                          // forward AND backward inside `step`
 *     }
 *     optimizer.update(...)  // on lora.parameters()
 *   }
 *   AdapterWeights update = lora.toAdapterWeights();               // PEFT names and shapes: A (r, in), B (out, r)
 * }
 * }</pre>
 * Keep every scalar as a long-lived 0-d array (PLATFORM pitfall 1), and never close an array created from
 * Java memory while a same-dtype {@code toType} alias of it is in use (the alias shares that memory).
 */
package io.fedit.model;
