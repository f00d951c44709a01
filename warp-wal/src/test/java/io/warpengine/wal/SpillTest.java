package io.warpengine.wal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.warpengine.WarpOptions;
import io.warpengine.api.SyncPolicy;
import io.warpengine.spi.Journal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values read back by their log location: spills, damage, relocation by snapshots, recovery. */
class SpillTest {

  @TempDir
  Path dir;

  private static byte[] value(int i) {
    return ("value-" + i + "-" + "x".repeat(i % 97)).getBytes(UTF_8);
  }

  @Test
  void aSpilledValueReadsBackEvenBeforeItsRecordIsWritten() {
    TestHost h = TestHost.open(TestHost.options(dir, SyncPolicy.ALWAYS));
    try {
      for (int i = 0; i < 200; i++) {
        h.put("k" + i, value(i));
      }
      for (int i = 0; i < 200; i++) {
        h.spill("k" + i);
        assertArrayEquals(value(i), h.readSpilled("k" + i), "k" + i);
      }
      for (int i = 0; i < 200; i++) {
        assertArrayEquals(value(i), h.readSpilled("k" + i), "k" + i + " again");
      }
      assertEquals(200L, h.journal.metrics().get("spills"));
      assertEquals(400L, h.journal.metrics().get("valueReads"));
      // Neighbouring records, asked for in reverse order: read in runs, each one its own value.
      String[] keys = new String[200];
      long[] locations = new long[200];
      int[] lengths = new int[200];
      for (int i = 0; i < 200; i++) {
        keys[i] = "k" + (199 - i);
        locations[i] = h.spilled.get(keys[i]).location();
        lengths[i] = h.spilled.get(keys[i]).length();
      }
      byte[][] all = h.journal.readAll(keys, locations, lengths);
      for (int i = 0; i < 200; i++) {
        assertArrayEquals(value(199 - i), all[i], keys[i] + " read together");
      }
      assertEquals(600L, h.journal.metrics().get("valueReads"));
    } finally {
      h.journal.close();
    }
  }

  @Test
  void aDamagedValueOrAWrongLocationIsAClearErrorNamingFileAndOffset() throws Exception {
    TestHost h = TestHost.open(TestHost.options(dir, SyncPolicy.ALWAYS));
    try {
      h.put("a", value(50));
      h.put("b", value(60));
      h.spill("a");
      h.spill("b");
      TestHost.Spilled a = h.spilled.get("a");
      assertArrayEquals(value(50), h.readSpilled("a"));
      Path segment = dir.resolve("segment-%020d.wal".formatted(Locations.number(a.location())));
      long offset = Locations.offset(a.location());
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        ch.write(ByteBuffer.wrap(new byte[] {'#'}), offset + 40); // inside the value
      }
      IllegalStateException damaged = assertThrows(IllegalStateException.class,
          () -> h.journal.read("a", a.location(), a.length()));
      assertTrue(damaged.getMessage().contains(segment.toString())
          && damaged.getMessage().contains("offset " + offset)
          && damaged.getMessage().contains("checksum"), damaged.getMessage());
      TestHost.Spilled b = h.spilled.get("b");
      IllegalStateException wrongKey = assertThrows(IllegalStateException.class,
          () -> h.journal.read("a", b.location(), b.length()));
      assertTrue(wrongKey.getMessage().contains("key 'a'"), wrongKey.getMessage());
      assertThrows(IllegalStateException.class,
          () -> h.journal.read("b", b.location(), b.length() + 1));
      assertThrows(IllegalArgumentException.class, () -> h.journal.read("b", b.location(), -1));
      assertArrayEquals(value(60), h.readSpilled("b"), "the damage is confined to its record");
    } finally {
      h.journal.close();
    }
  }

  @Test
  void snapshotsRelocateValuesWhileReadersReadThemAndOnlyThenDeleteSegments() throws Exception {
    TestHost h = TestHost.open(TestHost.options(dir, SyncPolicy.NONE, "wal.segmentBytes", "4096"));
    try {
      int n = 300;
      for (int i = 0; i < n; i++) {
        h.put("k" + i, value(i));
        h.spill("k" + i);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong passes = new AtomicLong();
      List<CompletableFuture<Void>> readers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        readers.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            for (int i = 0; i < n; i++) {
              assertArrayEquals(value(i), h.readSpilled("k" + i), "k" + i);
            }
            passes.incrementAndGet();
          }
        }));
      }
      // Snapshots go on until the readers made several whole passes during them.
      for (int round = 0; round < 10 || passes.get() < 6; round++) {
        h.put("churn" + round, value(round)); // something new for each snapshot to cover
        h.journal.snapshot();
      }
      stop.set(true);
      for (CompletableFuture<Void> r : readers) {
        r.get();
      }
      Map<String, Number> m = h.journal.metrics();
      assertTrue(m.get("relocations").longValue() >= 10L * n, m.toString());
      assertTrue(m.get("segmentsDeleted").longValue() > 0, m.toString());
      h.spilled.forEach((key, s) -> assertTrue(Locations.isSnapshot(s.location()), key));
      for (int i = 0; i < n; i++) {
        assertArrayEquals(value(i), h.readSpilled("k" + i), "k" + i + " after the snapshots");
      }
    } finally {
      h.journal.close();
    }
  }

  @Test
  void recoveryHandsLocationsOfSnapshotLogAndBatchValues() {
    WarpOptions o = TestHost.options(dir, SyncPolicy.ALWAYS);
    TestHost h = TestHost.open(o);
    try {
      h.put("snap", value(1));
      h.journal.snapshot();
      h.put("log", value(2));
      h.putAll(Map.of("batch1", value(3), "batch2", value(4)));
    } finally {
      h.journal.close();
    }
    Map<String, Long> locations = new HashMap<>();
    WriteAheadLog again = WalJournalFactory.open(o, new TestHost(),
        java.nio.channels.FileChannel::open);
    try {
      again.recover(new Journal.RecoveryHandler() {
        @Override
        public void put(String key, byte[] value) {
          throw new AssertionError("the journal knows where " + key + " is");
        }

        @Override
        public void put(String key, byte[] value, long location) {
          locations.put(key, location);
        }

        @Override
        public void delete(String key) {
          locations.remove(key);
        }

        @Override
        public void metadata(String owner, byte[] payload) {}
      });
      assertTrue(Locations.isSnapshot(locations.get("snap")));
      assertArrayEquals(value(1), again.read("snap", locations.get("snap"), value(1).length));
      assertArrayEquals(value(2), again.read("log", locations.get("log"), value(2).length));
      assertArrayEquals(value(4), again.read("batch2", locations.get("batch2"), value(4).length));
      assertNull(again.read("gone", Locations.of(false, 0, 40), 1), "segment 0 never existed");
      // Together, in any order, with a repeat: what read() gives one by one, batch entries too.
      Map<String, byte[]> written = Map.of("snap", value(1), "log", value(2), "batch1", value(3),
          "batch2", value(4));
      String[] keys = {"batch2", "gone", "log", "snap", "batch1", "log"};
      long[] at = new long[keys.length];
      int[] lengths = new int[keys.length];
      for (int i = 0; i < keys.length; i++) {
        boolean gone = keys[i].equals("gone");
        at[i] = gone ? Locations.of(false, 0, 40) : locations.get(keys[i]);
        lengths[i] = gone ? 1 : written.get(keys[i]).length;
      }
      byte[][] together = again.readAll(keys, at, lengths);
      for (int i = 0; i < keys.length; i++) {
        assertArrayEquals(written.get(keys[i]), together[i], keys[i]);
      }
      assertThrows(IllegalArgumentException.class,
          () -> again.readAll(keys, at, new int[1]), "mismatched arrays are refused");
    } finally {
      again.close();
    }
  }
}
