package io.fedit.fs;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * A Hadoop {@link Configuration} that travels to executors (broadcast it once per job). Executors must read
 * client rows and the base model with the job's settings (spark.hadoop.*: S3A endpoints and credentials,
 * HDFS HA name services, Kerberos, custom fs.SCHEME.impl), which a fresh {@code new Configuration()} there
 * would not have. Serialized with the Configuration's own Writable form: every property, no defaults lost.
 */
public final class HadoopConfCopy implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient Configuration conf;

  private HadoopConfCopy(Configuration conf) {
    this.conf = conf;
  }

  /** A copy, so later changes on the driver do not leak into what was shipped. */
  public static HadoopConfCopy of(Configuration conf) {
    return new HadoopConfCopy(new Configuration(conf));
  }

  /** The configuration; callers must not change it (tasks in one executor share it). */
  public Configuration get() {
    return conf;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    conf.write(out);
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    conf = new Configuration(false);
    conf.readFields(in);
  }
}
