package io.warpengine.bench.ycsb;

import io.warpengine.Warp;
import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.api.WarpEngine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.Vector;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The YCSB binding: lets the official client ({@code site.ycsb.Client}, {@code -db
 * io.warpengine.bench.ycsb.WarpYcsbBinding}) run its workloads against Warp. It runs on the class
 * path with YCSB; YCSB is never on the module path of the jlink image.
 *
 * <p>YCSB makes one instance per client thread; they share one engine, opened by the first
 * {@link #init} and closed by the last {@link #cleanup}. A record (its fields) is one value under
 * the key {@code table + "/" + key}, encoded as a field count then, per field, its UTF-8 name and
 * its bytes, each preceded by its length. An update merges fields into the stored record with a
 * compare-and-set loop ({@code replace}), so concurrent updates of one record lose no field.
 *
 * <p>Properties ({@code -p name=value}): {@code warp.dir} the data directory (durable with
 * warp-wal; without it the engine is in memory and a separate {@code -load} phase is lost when
 * its JVM exits), {@code warp.sync} {@code always|periodic|none} (default periodic, 100 ms),
 * {@code warp.plugins} {@code none|all} (default none: the core engine alone).
 *
 * <p>Scans (workload E): Warp has no ordered index, only {@code scan(prefix, limit)}; a YCSB scan
 * reads the whole table's prefix in key order and keeps the {@code recordcount} keys from
 * {@code startkey} on: correct, but its cost grows with the table, not the result.
 */
public final class WarpYcsbBinding extends DB {

  private static final Object LOCK = new Object();
  private static WarpEngine shared;
  private static int users;

  private WarpEngine engine;

  @Override
  public void init() throws DBException {
    synchronized (LOCK) {
      if (users == 0) {
        try {
          shared = Warp.open(options(getProperties()).build());
        } catch (RuntimeException e) {
          throw new DBException("cannot open Warp: " + e.getMessage(), e);
        }
      }
      users++;
      engine = shared;
    }
  }

  static WarpOptions.Builder options(Properties p) {
    WarpOptions.Builder o = WarpOptions.builder();
    String plugins = p.getProperty("warp.plugins", "none");
    switch (plugins) {
      case "none" -> o.discoverPlugins(false);
      case "all" -> { }
      default -> throw new IllegalArgumentException("warp.plugins must be none or all, was '"
          + plugins + "'");
    }
    String dir = p.getProperty("warp.dir");
    if (dir != null) {
      o.dataDirectory(Path.of(dir));
    }
    String sync = p.getProperty("warp.sync", "periodic");
    o.syncPolicy(switch (sync.toLowerCase(Locale.ROOT)) {
      case "always" -> SyncPolicy.ALWAYS;
      case "periodic" -> SyncPolicy.periodic(Duration.ofMillis(100));
      case "none" -> SyncPolicy.NONE;
      default -> throw new IllegalArgumentException("warp.sync must be always, periodic or none,"
          + " was '" + sync + "'");
    });
    return o;
  }

  @Override
  public void cleanup() {
    synchronized (LOCK) {
      if (--users == 0) {
        shared.close();
        shared = null;
      }
    }
  }

  @Override
  public Status read(String table, String key, Set<String> fields,
                     Map<String, ByteIterator> result) {
    byte[] record = engine.get(table + "/" + key);
    if (record == null) {
      return Status.NOT_FOUND;
    }
    decode(record, fields, result);
    return Status.OK;
  }

  @Override
  public Status scan(String table, String startkey, int recordcount, Set<String> fields,
                     Vector<HashMap<String, ByteIterator>> result) {
    String prefix = table + "/";
    SortedMap<String, byte[]> from = engine.scan(prefix, Integer.MAX_VALUE)
        .tailMap(prefix + startkey);
    for (byte[] record : from.values()) {
      if (result.size() == recordcount) {
        break;
      }
      HashMap<String, ByteIterator> row = new HashMap<>();
      decode(record, fields, row);
      result.add(row);
    }
    return Status.OK;
  }

  @Override
  public Status update(String table, String key, Map<String, ByteIterator> values) {
    String k = table + "/" + key;
    Map<String, byte[]> changes = arrays(values);
    while (true) {
      byte[] old = engine.get(k);
      if (old == null) {
        return Status.NOT_FOUND;
      }
      Map<String, byte[]> merged = new LinkedHashMap<>();
      Map<String, ByteIterator> stored = new HashMap<>();
      decode(old, null, stored);
      stored.forEach((name, it) -> merged.put(name, it.toArray()));
      merged.putAll(changes);
      if (engine.replace(k, old, encode(merged))) {
        return Status.OK;
      }
    }
  }

  @Override
  public Status insert(String table, String key, Map<String, ByteIterator> values) {
    engine.put(table + "/" + key, encode(arrays(values)));
    return Status.OK;
  }

  @Override
  public Status delete(String table, String key) {
    return engine.delete(table + "/" + key) ? Status.OK : Status.NOT_FOUND;
  }

  private static Map<String, byte[]> arrays(Map<String, ByteIterator> values) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    values.forEach((name, it) -> out.put(name, it.toArray()));
    return out;
  }

  static byte[] encode(Map<String, byte[]> fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(fields.size());
      for (Map.Entry<String, byte[]> f : fields.entrySet()) {
        byte[] name = f.getKey().getBytes(StandardCharsets.UTF_8);
        out.writeInt(name.length);
        out.write(name);
        out.writeInt(f.getValue().length);
        out.write(f.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Puts the record's fields (only those of {@code wanted}, or all when null) in {@code out}. */
  static void decode(byte[] record, Set<String> wanted, Map<String, ByteIterator> out) {
    ByteBuffer in = ByteBuffer.wrap(record);
    int count = in.getInt();
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[in.getInt()];
      in.get(name);
      int length = in.getInt();
      String field = new String(name, StandardCharsets.UTF_8);
      if (wanted == null || wanted.contains(field)) {
        out.put(field, new ByteArrayByteIterator(
            Arrays.copyOfRange(record, in.position(), in.position() + length)));
      }
      in.position(in.position() + length);
    }
  }
}
