package io.warpengine.wal;

import io.warpengine.api.SyncPolicy;
import io.warpengine.WarpOptions;
import io.warpengine.spi.Journal;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A minimal engine for journal tests: one map, writes serialised by this object's monitor (the
 * engine uses per-key stripes; a single lock keeps the same log-order-equals-map-order rule).
 * Values beyond the horizon are in a second map, by location; a key is in one map or the other.
 */
final class TestHost implements Journal.Host {

  /** Where a spilled value is. */
  record Spilled(long location, int length) {}

  final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
  final ConcurrentHashMap<String, Spilled> spilled = new ConcurrentHashMap<>();
  final Map<String, byte[]> metadata = new HashMap<>();
  WriteAheadLog journal;
  /** Recovery's hint ({@link Journal.RecoveryHandler#expect}), or -1 if none came. */
  long expectedEntries = -1;
  /** When false, every snapshot fails (with a WARN from the journal), so the log keeps its segments. */
  volatile boolean snapshots = true;
  /** Runs as a snapshot starts reading the map: a write here is one the snapshot races with. */
  volatile Runnable duringSnapshot = () -> { };

  static WarpOptions options(Path dir, SyncPolicy policy, String... properties) {
    WarpOptions.Builder b = WarpOptions.builder().dataDirectory(dir).syncPolicy(policy);
    for (int i = 0; i < properties.length; i += 2) {
      b.property(properties[i], properties[i + 1]);
    }
    return b.build();
  }

  static TestHost open(WarpOptions options, DataDirectory.ChannelOpener opener) {
    TestHost h = new TestHost();
    h.journal = WalJournalFactory.open(options, h, opener);
    try {
      h.journal.recover(h.restorer());
    } catch (RuntimeException e) {
      h.journal.close();
      throw e;
    }
    return h;
  }

  static TestHost open(WarpOptions options) {
    return open(options, java.nio.channels.FileChannel::open);
  }

  void put(String key, byte[] value) {
    long seq;
    synchronized (this) {
      seq = journal.appendPut(key, value);
      map.put(key, value);
      spilled.remove(key);
    }
    journal.awaitDurable(seq);
  }

  void delete(String key) {
    long seq;
    synchronized (this) {
      seq = journal.appendDelete(key);
      map.remove(key);
      spilled.remove(key);
    }
    journal.awaitDurable(seq);
  }

  void putAll(Map<String, byte[]> entries) {
    long seq;
    synchronized (this) {
      seq = journal.appendBatch(entries);
      map.putAll(entries);
    }
    journal.awaitDurable(seq);
  }

  /** Moves a value beyond the horizon: the journal logs a copy, the heap forgets it. */
  synchronized void spill(String key) {
    byte[] value = map.get(key);
    spilled.put(key, new Spilled(journal.spill(key, value), value.length));
    map.remove(key);
  }

  /** Reads a spilled value back, looking again when a snapshot moved it. */
  byte[] readSpilled(String key) {
    while (true) {
      Spilled s = spilled.get(key);
      byte[] value = journal.read(key, s.location(), s.length());
      if (value != null) {
        return value;
      }
    }
  }

  /** The state as a sorted map of strings, for comparisons. */
  TreeMap<String, String> state() {
    TreeMap<String, String> out = new TreeMap<>();
    map.forEach((k, v) -> out.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
    return out;
  }

  @Override
  public synchronized <T> T quiesced(Supplier<T> action) {
    if (!snapshots) {
      throw new IllegalStateException("snapshots are off in this test");
    }
    return action.get();
  }

  @Override
  public void forEachEntry(Journal.EntryVisitor visitor) {
    duringSnapshot.run();
    map.forEach(visitor::inside);
    spilled.forEach((key, s) -> visitor.beyond(key, s.location(), s.length()));
  }

  @Override
  public void relocated(String key, long from, long to) {
    spilled.computeIfPresent(key, (k, s) -> s.location() == from ? new Spilled(to, s.length()) : s);
  }

  Journal.RecoveryHandler restorer() {
    return new Journal.RecoveryHandler() {
      @Override
      public void expect(long entries) {
        if (!map.isEmpty() || expectedEntries != -1) {
          throw new AssertionError("a hint after a put, or a second one");
        }
        expectedEntries = entries;
      }

      @Override
      public void put(String key, byte[] value) {
        map.put(key, value);
      }

      @Override
      public void delete(String key) {
        map.remove(key);
      }

      @Override
      public void metadata(String owner, byte[] payload) {
        metadata.put(owner, payload);
      }
    };
  }

  static Map<String, byte[]> batch(String... kv) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return m;
  }
}
