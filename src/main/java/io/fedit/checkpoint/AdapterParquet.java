package io.fedit.checkpoint;

import io.fedit.fs.ParquetOutput;
import io.fedit.lora.AdapterWeights;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Adapters as Parquet tables, one row per tensor: {@code name string, shape list<int64>,
 * values list<float>} (standard 3-level lists, so Spark reads them as array columns). Floats are stored
 * as FLOAT, so a round trip is bit-exact. The client-updates table adds {@code client_id} and
 * {@code attempt} in front. Written by {@link ParquetOutput}: no Spark job, the same bytes for the same adapter.
 */
final class AdapterParquet {
  private static final String TENSOR_FIELDS = """
        required binary name (STRING);
        required group shape (LIST) { repeated group list { required int64 element; } }
        required group values (LIST) { repeated group list { required float element; } }
      """;
  static final MessageType ADAPTER = MessageTypeParser.parseMessageType(
      "message adapter_tensor {\n" + TENSOR_FIELDS + "}");
  static final MessageType CLIENT_UPDATES = MessageTypeParser.parseMessageType("""
      message client_update_tensor {
        required binary client_id (STRING);
        required int32 attempt;
      """ + TENSOR_FIELDS + "}");

  private AdapterParquet() {}

  static void write(Configuration conf, Path file, AdapterWeights adapter) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(ADAPTER);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, ADAPTER)) {
      for (Map.Entry<String, AdapterWeights.Tensor> e : adapter.tensors().entrySet()) {
        Group g = f.newGroup();
        fillTensor(g, e.getKey(), e.getValue());
        w.write(g);
      }
    }
  }

  /** One table for all clients of a round; attempts keyed by client id. */
  static void writeClientUpdates(Configuration conf, Path file, Map<String, AdapterWeights> byClient,
      Map<String, Integer> attempts) throws IOException {
    SimpleGroupFactory f = new SimpleGroupFactory(CLIENT_UPDATES);
    try (ParquetWriter<Group> w = ParquetOutput.writer(conf, file, CLIENT_UPDATES)) {
      for (Map.Entry<String, AdapterWeights> c : byClient.entrySet()) {
        for (Map.Entry<String, AdapterWeights.Tensor> e : c.getValue().tensors().entrySet()) {
          Group g = f.newGroup().append("client_id", c.getKey())
              .append("attempt", attempts.getOrDefault(c.getKey(), 0));
          fillTensor(g, e.getKey(), e.getValue());
          w.write(g);
        }
      }
    }
  }

  static AdapterWeights read(Configuration conf, Path file) throws IOException {
    Map<String, AdapterWeights.Tensor> tensors = new LinkedHashMap<>();
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        String name = g.getString("name", 0);
        if (tensors.put(name, readTensor(g, file)) != null) {
          throw new CheckpointCorruptException(file + ": tensor " + name + " appears twice");
        }
      }
    }
    return new AdapterWeights(tensors);
  }

  /** client id → adapter, in file order. */
  static Map<String, AdapterWeights> readClientUpdates(Configuration conf, Path file) throws IOException {
    Map<String, Map<String, AdapterWeights.Tensor>> byClient = new LinkedHashMap<>();
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
      for (Group g = r.read(); g != null; g = r.read()) {
        byClient.computeIfAbsent(g.getString("client_id", 0), k -> new LinkedHashMap<>())
            .put(g.getString("name", 0), readTensor(g, file));
      }
    }
    Map<String, AdapterWeights> out = new LinkedHashMap<>();
    byClient.forEach((c, t) -> out.put(c, new AdapterWeights(t)));
    return out;
  }

  private static void fillTensor(Group g, String name, AdapterWeights.Tensor t) {
    g.append("name", name);
    Group shape = g.addGroup("shape");
    for (long d : t.shape()) shape.addGroup("list").append("element", d);
    Group values = g.addGroup("values");
    for (float v : t.values()) values.addGroup("list").append("element", v);
  }

  private static AdapterWeights.Tensor readTensor(Group g, Path file) throws CheckpointCorruptException {
    Group shape = g.getGroup("shape", 0);
    long[] dims = new long[shape.getFieldRepetitionCount("list")];
    for (int i = 0; i < dims.length; i++) dims[i] = shape.getGroup("list", i).getLong("element", 0);
    Group values = g.getGroup("values", 0);
    float[] v = new float[values.getFieldRepetitionCount("list")];
    for (int i = 0; i < v.length; i++) v[i] = values.getGroup("list", i).getFloat("element", 0);
    try {
      return new AdapterWeights.Tensor(dims, v);
    } catch (IllegalArgumentException e) {
      throw new CheckpointCorruptException(file + ": tensor " + g.getString("name", 0) + ": " + e.getMessage(), e);
    }
  }
}
