package io.fedit.round;

import io.fedit.prepare.ClientTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The RDD of a round: one partition per sampled client (in plan order), each preferring the hosts that hold
 * that client's rows ({@link ClientTable#preferredHosts}), so that on HDFS a client trains where its data
 * is when an executor runs there. A preferred host with no executor costs nothing: Spark's delay scheduling
 * (spark.locality.wait) only waits for hosts that have executors.
 */
final class ClientPlacement {
  private ClientPlacement() {}

  /** Client id → preferred hosts, in plan order. */
  static Map<String, List<String>> preferences(List<String> clientIds, Map<String, String> clientDirs,
      Configuration conf) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String id : clientIds) out.put(id, ClientTable.preferredHosts(clientDirs.get(id), conf));
    return out;
  }

  static JavaRDD<String> rdd(SparkContext sc, Map<String, List<String>> preferences) {
    List<Tuple2<String, scala.collection.immutable.Seq<String>>> items = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : preferences.entrySet()) {
      items.add(new Tuple2<>(e.getKey(), CollectionConverters.asScala(e.getValue()).toList()));
    }
    ClassTag<String> tag = ClassTag$.MODULE$.apply(String.class);
    return JavaRDD.fromRDD(sc.makeRDD(CollectionConverters.asScala(items).toList(), tag), tag);
  }
}
