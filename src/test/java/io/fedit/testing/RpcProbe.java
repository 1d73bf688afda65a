package io.fedit.testing;

import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv;

/**
 * A Spark RPC client that tries to reach a standalone master's endpoint, with or without the cluster's
 * shared secret: what any program on the network could do. Answers whether the master let it in.
 */
public final class RpcProbe {
  private RpcProbe() {}

  /** True when the master at 127.0.0.1:port answered the endpoint lookup; secret null = no authentication. */
  public static boolean masterAnswers(int port, String secret) {
    SparkConf conf = new SparkConf(false)
        .set("spark.master", "spark://127.0.0.1:" + port)
        .set("spark.rpc.lookupTimeout", "15s")
        .set("spark.rpc.askTimeout", "15s")
        .set("spark.authenticate", String.valueOf(secret != null))
        .set("spark.network.crypto.enabled", String.valueOf(secret != null));
    if (secret != null) conf.set("spark.authenticate.secret", secret);
    SecurityManager security = new SecurityManager(conf, scala.Option.empty(),
        org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE_DRIVER());
    security.initializeAuth();
    RpcEnv env = RpcEnv.create("fedit-probe", "127.0.0.1", 0, conf, security, true);
    try {
      env.setupEndpointRef(new RpcAddress("127.0.0.1", port), "Master");
      return true;
    } catch (Exception refused) { // SparkException wrapping the server's "Expected SaslMessage" / auth failure
      return false;
    } finally {
      env.shutdown();
    }
  }
}
